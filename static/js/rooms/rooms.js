// The teacher's pages: /teach (create or reopen a room, the dashboard) and
// /teach/CODE/spotlight (the projector's big view of one student). Entry module of both.

import { mountDashboard } from "./dashboard.js";
import { mountSpotlight } from "./spotlight.js";

const view = document.body.dataset.view;
if (view === "spotlight") mountSpotlight(document);
else mountDashboard(document);
