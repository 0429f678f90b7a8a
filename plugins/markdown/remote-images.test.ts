import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import { copyPath, imageSize, remoteImageSources, withLocalImages } from "./remote-images.ts";

describe("remote images", () => {
  it("lists the remote Markdown images of a document once each, protocol-relative ones as https", () => {
    const md = createMarkdown();
    const tokens = md.parse("![a](https://i.imgur.com/x.png) ![b](//cdn.example/y.jpg)\n\n![c](local.png) ![d](https://i.imgur.com/x.png)", {});
    expect(remoteImageSources(tokens)).toEqual(["https://i.imgur.com/x.png", "https://cdn.example/y.jpg"]);
  });

  it("names a copy by its URL, with the extension of the type the host sent", () => {
    expect(copyPath("https://a.b/x", "image/webp; q=1")).toMatch(/^remote-images\/[0-9a-f]{20}\.webp$/);
    expect(copyPath("https://a.b/x.JPEG?w=3", undefined)).toMatch(/\.jpg$/);
    expect(copyPath("https://a.b/x", "application/octet-stream")).toMatch(/\.img$/);
  });

  it.each([
    ["GIF", Buffer.from("GIF89a\x05\x00\x07\x00", "latin1"), { width: 5, height: 7 }],
    ["SVG with width/height", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'), { width: 40, height: 30 }],
    ["SVG with a viewBox", Buffer.from('<?xml version="1.0"?><svg viewBox="0 0 120 80">'), { width: 120, height: 80 }],
    [
      "JPEG",
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x21, 0x00, 0x2c, 0x03, 0, 0, 0, 0]),
      { width: 44, height: 33 },
    ],
  ])("reads the size of a %s", (_, bytes, size) => {
    expect(imageSize(bytes)).toEqual(size);
  });

  it("points a page at its copies relative to the page, keeping the original as the fallback", () => {
    const html = '<p><img src="https://a.b/x.png?a=1&amp;b=2" alt=""> <img src="https://a.b/gone.png" alt="g"></p>';
    const images = new Map([
      ["https://a.b/x.png?a=1&b=2", { file: "remote-images/0123.png", width: 3, height: 2 }],
      ["https://a.b/gone.png", { gone: "404" }],
    ]);
    expect(withLocalImages(html, "2022/01/03/p/index.html", images)).toBe(
      '<p><img src="../../../../remote-images/0123.png" data-remote-src="https://a.b/x.png?a=1&amp;b=2" ' +
        'onerror="this.onerror=null;this.src=this.dataset.remoteSrc" width="3" height="2" alt=""> <img src="https://a.b/gone.png" alt="g"></p>',
    );
  });
});
