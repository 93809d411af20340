// The classroom token (DESCENT_TOKEN): asked for once, kept in sessionStorage for this tab,
// sent as the `token` query parameter of /ws and as X-Descent-Token on REST fetches.

const KEY = "descent.token";
let asking = null;

/** The token this tab holds ("" when none). */
export function getToken() {
  try {
    return sessionStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

/** Asks once for the token (concurrent callers share the one prompt); resolves to it. */
export function askToken() {
  if (!asking) {
    asking = new Promise((resolve) => {
      setTimeout(() => {
        const answer = (window.prompt("This Descent server needs the class token (ask your teacher):", "") ?? "").trim();
        try {
          if (answer) sessionStorage.setItem(KEY, answer);
          else sessionStorage.removeItem(KEY);
        } catch {
          // storage disabled: the token lives until the page reloads
        }
        asking = null;
        resolve(answer);
      }, 0);
    });
  }
  return asking;
}

/** The URL with the token as its `token` query parameter (unchanged without a token). */
export function withToken(href) {
  const token = getToken();
  if (!token) return href;
  const url = new URL(href);
  url.searchParams.set("token", token);
  return url.href;
}

/** fetch() with the token header; a 401 asks for the token (unless it changed meanwhile) and retries once. */
export async function apiFetch(url, init = {}) {
  const attempt = (token) => {
    const headers = new Headers(init.headers);
    if (token) headers.set("X-Descent-Token", token);
    return fetch(url, { ...init, headers });
  };
  const used = getToken();
  const response = await attempt(used);
  if (response.status !== 401) return response;
  const token = getToken() !== used ? getToken() : await askToken();
  return token ? attempt(token) : response;
}
