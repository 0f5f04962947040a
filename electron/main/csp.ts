/**
 * The Content-Security-Policy the renderer runs under. The Electron shell sends it as a header on
 * every `app://` response. The same policy is written in `electron/harness/server.ts` (`CSP`) and
 * in the `<meta>` tag of `renderer/index.html`; `test/unit/shell-protocol.test.ts` fails if they
 * drift apart. (The harness module is not imported here on purpose: it starts a server at import
 * time when `process.argv[1]` names the module doing the importing, i.e. the bundled main.)
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
