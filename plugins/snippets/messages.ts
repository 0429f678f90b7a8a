// Every label of the snippet UI a reader sees (§8), in the page's language: zh-CN, zh-TW and en. Authors' hints
// ("label this block `text`", "inferred from block 4") are not here: they stay in the report and the CLI.
import type { SnippetResult, Status } from "./types.ts";

export interface SnippetMessages {
  /** The badge of each status; `%s` is filled with a list (modules, files). */
  status: Record<Status, string>;
  /** Short neutral reasons, chosen from the result (§8: "需要 torch", "片段", "依赖网络"). */
  needs: string;
  needsFile: string;
  network: string;
  host: string;
  dependsOn: string;
  python2: string;
  download: string;
  copy: string;
  copied: string;
  expectedOutputOf: string;
  diffSummary: string;
  diffExpected: string;
  diffActual: string;
  /** The note's line under its title: "%d code blocks". */
  blocks: string;
  blocksOne: string;
  zip: string;
  report: string;
  listSeparator: string;
}

const en: SnippetMessages = {
  status: {
    passed: "✓ runs as shown",
    file: "file",
    failed: "✗ output differs",
    warning: "does not run as-is",
    invalid: "not runnable code",
    "missing-deps": "needs %s",
    excerpt: "excerpt",
    environment: "depends on the author's machine",
    unresolved: "needs %s",
    checked: "checked",
    extracted: "not run",
    skipped: "not run",
  },
  needs: "needs %s",
  needsFile: "needs the file %s",
  network: "needs the network",
  host: "depends on the author's machine",
  dependsOn: "depends on block %d",
  python2: "written for Python 2",
  download: "download",
  copy: "copy",
  copied: "copied",
  expectedOutputOf: "expected output of %s",
  diffSummary: "what the note shows (−) and what the code printed (+)",
  diffExpected: "in the note",
  diffActual: "printed",
  blocks: "%d code blocks",
  blocksOne: "1 code block",
  zip: "download all (zip)",
  report: "verification report",
  listSeparator: ", ",
};

const zhCN: SnippetMessages = {
  status: {
    passed: "✓ 运行结果一致",
    file: "文件",
    failed: "✗ 输出不一致",
    warning: "无法直接运行",
    invalid: "不是可运行的代码",
    "missing-deps": "需要 %s",
    excerpt: "片段",
    environment: "依赖作者的环境",
    unresolved: "需要 %s",
    checked: "已检查",
    extracted: "未运行",
    skipped: "未运行",
  },
  needs: "需要 %s",
  needsFile: "需要文件 %s",
  network: "依赖网络",
  host: "依赖作者的环境",
  dependsOn: "依赖第 %d 个代码块",
  python2: "为 Python 2 编写",
  download: "下载",
  copy: "复制",
  copied: "已复制",
  expectedOutputOf: "%s 的预期输出",
  diffSummary: "笔记中的内容（−）与实际输出（+）",
  diffExpected: "笔记中",
  diffActual: "实际输出",
  blocks: "%d 个代码块",
  blocksOne: "1 个代码块",
  zip: "全部下载（zip）",
  report: "验证报告",
  listSeparator: "、",
};

const zhTW: SnippetMessages = {
  ...zhCN,
  status: {
    passed: "✓ 執行結果一致",
    file: "檔案",
    failed: "✗ 輸出不一致",
    warning: "無法直接執行",
    invalid: "不是可執行的程式碼",
    "missing-deps": "需要 %s",
    excerpt: "片段",
    environment: "依賴作者的環境",
    unresolved: "需要 %s",
    checked: "已檢查",
    extracted: "未執行",
    skipped: "未執行",
  },
  needsFile: "需要檔案 %s",
  network: "依賴網路",
  host: "依賴作者的環境",
  dependsOn: "依賴第 %d 個程式碼區塊",
  python2: "為 Python 2 撰寫",
  download: "下載",
  copy: "複製",
  copied: "已複製",
  expectedOutputOf: "%s 的預期輸出",
  diffSummary: "筆記中的內容（−）與實際輸出（+）",
  diffExpected: "筆記中",
  diffActual: "實際輸出",
  blocks: "%d 個程式碼區塊",
  blocksOne: "1 個程式碼區塊",
  zip: "全部下載（zip）",
  report: "驗證報告",
};

/** The messages for a page's language (`zh-CN`, `zh_TW`, `zh-Hant`, `en`, …): Chinese by script, else English. */
export function snippetMessages(language: string | undefined): SnippetMessages {
  const l = (language ?? "").toLowerCase().replace(/_/g, "-");
  if (!l.startsWith("zh")) return en;
  return /-(tw|hk|mo|hant)\b/.test(l) ? zhTW : zhCN;
}

const fill = (template: string, value: string | number) => template.replace(/%[sd]/, String(value));

/** The short reason a reader sees on a block's badge (§8): what it needs, that it is an excerpt, … */
export function readerBadge(result: Pick<SnippetResult, "status" | "missing" | "files" | "reason" | "dependsOn">, m: SnippetMessages): string {
  const list = (xs: string[]) => xs.join(m.listSeparator);
  switch (result.status) {
    case "missing-deps":
      return fill(m.needs, list(result.missing?.length ? result.missing : ["?"]));
    case "unresolved":
      return fill(m.needsFile, list((result.files ?? []).filter((f) => f.from === undefined).map((f) => f.name)) || "?");
    case "environment":
      return result.reason === "network" ? m.network : m.host;
    case "failed":
      return result.reason === "python2" ? `${m.status.failed} · ${m.python2}` : m.status.failed;
    case "invalid":
      return result.reason === "python2" ? m.python2 : m.status.invalid;
    default:
      return m.status[result.status];
  }
}
