/*  input.c: GID0xx, the document could not be read as given.
 *
 *  These rules read the status the pipeline left on the document; they are
 *  the only ones that run on a document that could not be parsed.
 */
#include "gl_internal.h"

static void
check_gid001 (const gl_doc_t *doc, gl_emit_t *out)
{
    if (gl_doc_status (doc) != GL_DOC_BAD_ENCODING)
        return;
    uint64_t at = gl_doc_bad_byte (doc);
    gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { (uint32_t) at,
                                                 (uint32_t) at + 1 }));
    GL_EMIT (out, &gl_rule_gid001, &w,
             "文档既不是有效的 UTF-8，也不能按 GB18030 解码（第 %llu 字节起无法识别）；"
             "请以 UTF-8 编码重新提交",
             "the document is neither valid UTF-8 nor decodable as GB18030 "
             "(unreadable from byte %llu); resubmit it as UTF-8",
             (unsigned long long) at);
}

const gl_rule_t gl_rule_gid001 = {
    .code = "GID001",
    .name = "bad-encoding",
    .severity = GL_SEV_ERROR,
    .summary_zh = "文档编码无法识别",
    .summary_en = "the document's encoding cannot be read",
    .doc_zh = "报告须为 UTF-8（可带 BOM）或 GB18030/GBK 编码的文本。两者都无法解码时，"
              "其余检查无从进行，本规则指出第一个无法识别的字节。请用“另存为 UTF-8”重新导出。",
    .doc_en = "A report must be text in UTF-8 (with or without a byte-order "
              "mark) or GB18030/GBK. When neither decodes, no other check can "
              "run; this rule names the first byte that could not be read. "
              "Export the document again as UTF-8.",
    .example = "\\xff\\xfe\\xfd（不是任何中文编码）",
    .check = check_gid001,
};

static void
check_gid002 (const gl_doc_t *doc, gl_emit_t *out)
{
    if (gl_doc_status (doc) != GL_DOC_EMPTY)
        return;
    size_t len;
    gl_doc_text (doc, &len);
    gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { 0, (uint32_t) len }));
    GL_EMIT0 (out, &gl_rule_gid002, &w, "文档为空：去除空白后没有任何内容",
              "the document is empty: nothing but white space");
}

const gl_rule_t gl_rule_gid002 = {
    .code = "GID002",
    .name = "empty-document",
    .severity = GL_SEV_ERROR,
    .summary_zh = "文档为空",
    .summary_en = "the document is empty",
    .doc_zh = "提交的文档去除空格、制表符和换行后没有任何文字，通常是文件导出失败或提交了错误的文件。",
    .doc_en = "The submitted document has no text once spaces, tabs and line "
              "ends are removed; usually a failed export or the wrong file.",
    .example = "（空文件）",
    .check = check_gid002,
};

static void
check_gid003 (const gl_doc_t *doc, gl_emit_t *out)
{
    if (gl_doc_status (doc) != GL_DOC_TOO_LARGE)
        return;
    unsigned long long size = gl_doc_input_size (doc);
    unsigned long long limit = gl_doc_size_limit (doc);
    gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { 0, 0 }));
    w.expected = GL_INT ((int64_t) limit);
    w.actual = GL_INT ((int64_t) size);
    GL_EMIT (out, &gl_rule_gid003, &w,
             "文档大小为 %llu 字节，超过上限 %llu 字节，未作检查",
             "the document has %llu bytes, over the limit of %llu; not checked",
             size, limit);
}

const gl_rule_t gl_rule_gid003 = {
    .code = "GID003",
    .name = "too-large",
    .severity = GL_SEV_ERROR,
    .summary_zh = "文档超过大小上限",
    .summary_en = "the document is over the size limit",
    .doc_zh = "年度报告的正文通常只有几十 KB。超过配置上限（默认 16 MiB）的文档不作解析，"
              "以免拖慢服务；请检查是否误把附件或图片一并提交。",
    .doc_en = "A report's text is usually a few tens of KB. Documents over the "
              "configured limit (16 MiB by default) are not parsed, so that "
              "the service stays fast; check that no attachment or image was "
              "submitted with it.",
    .example = "（超过 16 MiB 的文件）",
    .check = check_gid003,
};

static void
check_gid005 (const gl_doc_t *doc, gl_emit_t *out)
{
    if (gl_doc_status (doc) != GL_DOC_NOT_REPORT)
        return;
    size_t len;
    gl_doc_text (doc, &len);
    gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { 0, 0 }));
    GL_EMIT0 (out, &gl_rule_gid005, &w,
              "未发现政府信息公开工作年度报告的任何结构（无标题、无“一、总体情况”等章节、无统计表），"
              "请确认提交的是年度报告",
              "no trace of a government information disclosure annual report "
              "(no title, no sections such as 一、总体情况, no tables); check "
              "that this is the report");
}

const gl_rule_t gl_rule_gid005 = {
    .code = "GID005",
    .name = "not-a-report",
    .severity = GL_SEV_ERROR,
    .summary_zh = "不是政府信息公开工作年度报告",
    .summary_en = "not a disclosure annual report",
    .doc_zh = "文档中既没有“政府信息公开工作年度报告”字样的标题，也没有六个规定章节中的任何一个，"
              "也没有统计表。多为提交了错误的文件（通知、公告等）。",
    .doc_en = "The document has no title naming a 政府信息公开工作年度报告, none "
              "of the six sections of the format and no statistical table; "
              "usually the wrong file (a notice or an announcement).",
    .example = "关于做好春节期间安全生产工作的通知……",
    .check = check_gid005,
};
