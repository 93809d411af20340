// Nobody's work is lost: the page keeps the server's latest `checkpoint` of its lanes in
// sessionStorage and, after a dropped socket, a server restart or a reload, sends it back
// (`resume`) instead of configure when it belongs to the config being edited (docs/protocol.md).

const KEY = "descent.checkpoint";

/** JSON with sorted keys, so that equal configs give equal text. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The config without the fields a `set` changes live (they are sent again after a resume). */
function fixedPart(config, liveNames) {
  const strip = (obj) => Object.fromEntries(Object.entries(obj ?? {})
    .filter(([k]) => !liveNames.includes(k))
    .map(([k, v]) => [k, v && typeof v === "object" && !Array.isArray(v) ? strip(v) : v]));
  return canonical(strip(config));
}

/** Keeps a checkpoint message with the config the page was editing when it came. */
export function keepCheckpoint(msg, config, liveNames) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ key: fixedPart(config, liveNames), lanes: msg.lanes }));
  } catch {
    sessionStorage.removeItem(KEY); // too big for the browser's storage: nothing to resume from
  }
}

/** The kept checkpoint's lanes when they belong to this config, else null. */
export function checkpointFor(config, liveNames) {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  } catch {
    kept = null;
  }
  return kept?.key === fixedPart(config, liveNames) && kept.lanes?.length ? kept.lanes : null;
}

/** Forgets the kept checkpoint (a new run began). */
export function forgetCheckpoint() {
  sessionStorage.removeItem(KEY);
}

/** The live fields of config that differ from a resumed lane's: the `set` that brings the
 * session to what the page shows. */
export function liveChanges(config, laneConfig, liveNames) {
  const changes = {};
  const walk = (mine, theirs) => {
    for (const [k, v] of Object.entries(mine ?? {})) {
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v, theirs?.[k]);
      else if (liveNames.includes(k) && canonical(v) !== canonical(theirs?.[k])) changes[k] = v;
    }
  };
  walk(config, laneConfig);
  return changes;
}
