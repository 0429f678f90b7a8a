import { describe, expect, it } from "vitest";
import { splitCjkInHtml, splitCjkText } from "./cjk.ts";
import { preparePageForIndex } from "./prepare-page.ts";

describe("splitCjkText", () => {
  it.each([
    ["注意力机制", "注 意 力 机 制"],
    ["多头自注意力机制应用到 Encoder", "多 头 自 注 意 力 机 制 应 用 到 Encoder"],
    ["2017年Transformer模型", "2017年Transformer模 型"],
    ["数据集，定制化", "数 据 集，定 制 化"],
    ["ひらがなとカタカナ", "ひ ら が な と カ タ カ ナ"],
    ["parse_args argparse", "parse_args argparse"],
    ["𠀀𠀁", "𠀀 𠀁"], // outside the BMP
    ["한국어 단어", "한국어 단어"], // Korean separates words with spaces already
  ])("%s", (text, split) => {
    expect(splitCjkText(text)).toBe(split);
  });
});

describe("splitCjkInHtml", () => {
  it("splits text only: tags, attribute values, comments, scripts and styles are untouched", () => {
    const html =
      '<h1 data-pagefind-meta="title:注意力 > 机制" title=\'标题\'>注意力</h1><!-- 注释 --><script>const s = "脚本";</script>' +
      '<style>p::after { content: "样式"; }</style><p>正文<b>加粗</b></p>';
    expect(splitCjkInHtml(html)).toBe(
      '<h1 data-pagefind-meta="title:注意力 > 机制" title=\'标题\'>注 意 力</h1><!-- 注释 --><script>const s = "脚本";</script>' +
        '<style>p::after { content: "样式"; }</style><p>正 文<b>加 粗</b></p>',
    );
  });

  it("keeps a lone < in text and entities as they are", () => {
    expect(splitCjkInHtml("<p>若 a &lt; b 则成立 < 否则</p>")).toBe("<p>若 a &lt; b 则 成 立 < 否 则</p>");
  });
});

describe("preparePageForIndex", () => {
  const heading = '<h2 id="安装">安装 <a class="headerlink" href="#安装" aria-label="Link to this section" data-pagefind-ignore><span aria-hidden="true">#</span></a></h2>';

  it("drops the heading anchors, whose # would end every section title", () => {
    expect(preparePageForIndex(heading, { splitCjk: false })).toBe('<h2 id="安装">安装 </h2>');
  });

  it("splits CJK text unless asked not to", () => {
    expect(preparePageForIndex("<p>多进程</p>", { splitCjk: true })).toBe("<p>多 进 程</p>");
    expect(preparePageForIndex("<p>多进程</p>", { splitCjk: false })).toBe("<p>多进程</p>");
  });
});
