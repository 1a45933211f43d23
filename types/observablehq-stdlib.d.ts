// The parts of Framework's standard library that src/ modules import explicitly (exported embed modules must:
// only Markdown pages get FileAttachment and resize implicitly). Framework resolves the specifier at build time.
declare module "observablehq:stdlib" {
  export interface FileAttachmentHandle {
    name: string;
    mimeType: string;
    href: string;
    url(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
    text(): Promise<string>;
    // biome-ignore lint/suspicious/noExplicitAny: a JSON file can hold anything; callers check the shape
    json(): Promise<any>;
  }
  export function FileAttachment(path: string): FileAttachmentHandle;
  /** Re-renders on every change of the container's width; returns the container. */
  export function resize(
    render: (width: number, height: number) => Node | Promise<Node>,
    invalidation?: Promise<void>,
  ): HTMLElement;
}
