// The header's links to the other pages; a link marked data-needs-page shows only once its
// page answers (the sweeps page may not exist on this server). Pages need no token.

/** Mounts [data-view=page-links]: checks each data-needs-page link's page with a GET. */
export function mountPageLinks(root) {
  const nav = root.querySelector("[data-view=page-links]");
  for (const link of nav?.querySelectorAll("a[data-needs-page]") ?? []) {
    // a reload reuses the answer the browser kept (whether the page exists does not change)
    fetch(new URL(link.getAttribute("href"), window.location.href), { cache: "force-cache" })
      .then((response) => { link.hidden = !response.ok; })
      .catch(() => { link.hidden = true; });
  }
}
