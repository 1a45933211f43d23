// Framework's JavaScript cell parser (dist/javascript/parse.js, not a public export; pinned with the package), as
// scripts/check-pages.ts uses it.
declare module "@observablehq/framework/dist/javascript/parse.js" {
  export function parseJavaScript(input: string, options: { path: string; inline?: boolean }): unknown;
}
