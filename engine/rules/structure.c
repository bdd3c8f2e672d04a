/*  structure.c: GID1xx, the report's skeleton.
 *
 *  Title, the six sections (present, in order, once, worded as the format
 *  says, not empty) and the numbering of narrative sub-items.
 */
#include "gl_internal.h"

#include <string.h>

static bool
s_contains (const char *s, const char *lit)
{
    return s && strstr (s, lit) != NULL;
}

/*  ------------------------------------------------------------------ */

static void
check_gid101 (const gl_doc_t *doc, gl_emit_t *out)
{
    gl_span_t span;
    const char *title = gl_doc_title (doc, &span);
    if (!title) {
        gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { 0, 0 }));
        GL_EMIT0 (out, &gl_rule_gid101, &w,
                  "缺少标题：报告应以“<机关名称><年份>年政府信息公开工作年度报告”开头",
                  "no title: the report should open with "
                  "\"<body><year>年政府信息公开工作年度报告\"");
        return;
    }
    gl_where_t w = GL_WHERE_SPAN (span);
    if (!gl_doc_title_year (doc))
        GL_EMIT0 (out, &gl_rule_gid101, &w, "标题未写明报告年度（如“2021年”）",
                  "the title does not name the report year (e.g. 2021年)");
    else if (!gl_doc_body (doc))
        GL_EMIT0 (out, &gl_rule_gid101, &w, "标题未写明发布机关名称",
                  "the title does not name the issuing body");
    else if (!s_contains (title, "政府信息公开工作年度报告"))
        GL_EMIT0 (out, &gl_rule_gid101, &w,
                  "标题应写作“……政府信息公开工作年度报告”",
                  "the title should read \"……政府信息公开工作年度报告\"");
}

const gl_rule_t gl_rule_gid101 = {
    .code = "GID101",
    .name = "missing-title",
    .severity = GL_SEV_WARNING,
    .summary_zh = "缺少标题，或标题未写明机关、年度",
    .summary_en = "no title naming body, year and report",
    .doc_zh = "年度报告的标题应写明发布机关、报告年度和“政府信息公开工作年度报告”，如"
              "“桓台县城区街道办事处2021年政府信息公开工作年度报告”。缺少标题时，"
              "读者和汇总系统都无法确定报告归属，年度只能从正文推断。",
    .doc_en = "A report's title names the issuing body, the report year and "
              "政府信息公开工作年度报告, e.g. 桓台县城区街道办事处2021年政府信息"
              "公开工作年度报告. Without it neither readers nor aggregators can "
              "tell whose report it is, and the year must be guessed from the "
              "text.",
    .example = "一、总体情况（文档直接从正文开始，没有标题）",
    .check = check_gid101,
};

/*  ------------------------------------------------------------------ */

static void
check_gid102 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t len;
    gl_doc_text (doc, &len);
    for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
        if (gl_doc_section (doc, (gl_section_id_t) id)->present)
            continue;
        /* Point where it should have been: at the next section present. */
        uint32_t at = (uint32_t) len;
        for (int next = id + 1; next < GL_SEC_COUNT; next++) {
            const gl_section_t *s = gl_doc_section (doc, (gl_section_id_t) next);
            if (s->present) {
                at = s->heading.start;
                break;
            }
        }
        gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { at, at }));
        GL_EMIT (out, &gl_rule_gid102, &w,
                 "缺少第%s部分“%s、%s”%.0s", "section %s is missing (%.0s%.0s%s)",
                 gl_section_numeral ((gl_section_id_t) id),
                 gl_section_numeral ((gl_section_id_t) id),
                 gl_section_title ((gl_section_id_t) id, GL_LANG_ZH),
                 gl_section_title ((gl_section_id_t) id, GL_LANG_EN));
    }
}

const gl_rule_t gl_rule_gid102 = {
    .code = "GID102",
    .name = "missing-section",
    .severity = GL_SEV_ERROR,
    .summary_zh = "缺少规定章节",
    .summary_en = "a section of the format is missing",
    .doc_zh = "两个版本的格式都规定了六个部分：一、总体情况；二、主动公开政府信息情况；"
              "三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；"
              "五、存在的主要问题及改进情况；六、其他需要报告的事项。缺少任何一部分都须补齐，"
              "没有内容的第六部分写“无”。",
    .doc_en = "Both editions of the format have six sections (overview, "
              "proactive disclosure, applications, reviews and lawsuits, "
              "problems and improvements, other matters). Each must be "
              "present; section 六 may say 无.",
    .example = "一、总体情况 …… 二、主动公开政府信息情况 …… 四、政府信息公开行政复议、"
               "行政诉讼情况（缺少第三部分）",
    .check = check_gid102,
};

/*  ------------------------------------------------------------------ */

static void
check_gid103 (const gl_doc_t *doc, gl_emit_t *out)
{
    gl_section_id_t order[GL_SEC_COUNT];
    size_t n = gl_doc_section_order (doc, order);
    gl_section_id_t max = GL_SEC_NONE;
    for (size_t i = 0; i < n; i++) {
        if (order[i] < max) {
            const gl_section_t *s = gl_doc_section (doc, order[i]);
            gl_where_t w = GL_WHERE_SPAN (s->heading);
            GL_EMIT (out, &gl_rule_gid103, &w,
                     "第%s部分出现在第%s部分之后，顺序应为一至六",
                     "section %s comes after section %s; the order is 一 to 六",
                     gl_section_numeral (order[i]), gl_section_numeral (max));
        }
        else
            max = order[i];
    }
}

const gl_rule_t gl_rule_gid103 = {
    .code = "GID103",
    .name = "section-order",
    .severity = GL_SEV_ERROR,
    .summary_zh = "章节顺序错误",
    .summary_en = "sections out of order",
    .doc_zh = "六个部分须按一至六的顺序排列。顺序颠倒通常是编辑时整段移动造成的，"
              "也会让汇总系统把内容归入错误的部分。",
    .doc_en = "The six sections come in the order 一 to 六. A swapped order "
              "usually comes from moving blocks while editing, and makes "
              "aggregators file content under the wrong section.",
    .example = "一、总体情况 … 三、收到和处理政府信息公开申请情况 … 二、主动公开政府信息情况",
    .check = check_gid103,
};

/*  ------------------------------------------------------------------ */

static void
check_gid104 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
        const gl_section_t *s = gl_doc_section (doc, (gl_section_id_t) id);
        if (!s->present || s->occurrences < 2)
            continue;
        gl_where_t w = GL_WHERE_SPAN (s->second);
        GL_EMIT (out, &gl_rule_gid104, &w,
                 "第%s部分“%s”重复出现（共%u次）",
                 "section %s (%s) appears %u times",
                 gl_section_numeral ((gl_section_id_t) id),
                 gl_section_title ((gl_section_id_t) id, gl_emit_lang (out)),
                 s->occurrences);
    }
}

const gl_rule_t gl_rule_gid104 = {
    .code = "GID104",
    .name = "duplicate-section",
    .severity = GL_SEV_ERROR,
    .summary_zh = "章节重复",
    .summary_en = "a section appears twice",
    .doc_zh = "同一部分出现两次，多为复制粘贴了上一年报告的片段或模板。请删除重复的部分，"
              "只保留本年度的内容。",
    .doc_en = "A section appears twice, usually a pasted piece of last year's "
              "report or of the template. Keep only this year's.",
    .example = "五、存在的主要问题及改进情况 …… 五、存在的主要问题及改进情况 ……",
    .check = check_gid104,
};

/*  ------------------------------------------------------------------ */

static void
check_gid105 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
        const gl_section_t *s = gl_doc_section (doc, (gl_section_id_t) id);
        if (!s->present || (s->title_exact && s->numeral_ok))
            continue;
        gl_where_t w = GL_WHERE_SPAN (s->heading);
        GL_EMIT (out, &gl_rule_gid105, &w,
                 "章节标题“%s”与格式不符，应为“%s、%s”",
                 "the heading \"%s\" differs from the format's \"%s、%s\"",
                 s->heading_text, gl_section_numeral ((gl_section_id_t) id),
                 gl_section_title ((gl_section_id_t) id, GL_LANG_ZH));
    }
}

const gl_rule_t gl_rule_gid105 = {
    .code = "GID105",
    .name = "section-title",
    .severity = GL_SEV_WARNING,
    .summary_zh = "章节标题措辞或编号与格式不符",
    .summary_en = "a section heading's wording differs from the format",
    .doc_zh = "章节标题应与格式一字不差（如“三、收到和处理政府信息公开申请情况”），"
              "编号应与该部分相符。措辞改动不影响阅读，但会妨碍逐年、逐机关的比对。",
    .doc_en = "Section headings should read exactly as in the format (e.g. "
              "三、收到和处理政府信息公开申请情况) with the right numeral. A "
              "changed wording reads fine but hinders comparison across years "
              "and bodies.",
    .example = "三、收到和处理政府信息公开申请的情况",
    .check = check_gid105,
};

/*  ------------------------------------------------------------------ */

static void
check_gid106 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t len;
    const char *text = gl_doc_text (doc, &len);
    for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
        const gl_section_t *s = gl_doc_section (doc, (gl_section_id_t) id);
        if (!s->present)
            continue;
        if (id >= GL_SEC_2 && id <= GL_SEC_4
            && gl_doc_table (doc, (gl_section_id_t) id))
            continue;
        gl_key_t key;
        gl_key (text + s->body.start, s->body.end - s->body.start, &key);
        bool none = key.n == 1 && key.cp[0] == 0x65E0; /* 无 */
        if (key.n > 0 && !(none && id != GL_SEC_6))
            continue;
        gl_where_t w = GL_WHERE_SPAN (s->heading);
        if (none)
            GL_EMIT (out, &gl_rule_gid106, &w,
                     "第%s部分只写了“无”，该部分须如实填写",
                     "section %s only says 无; it must have content",
                     gl_section_numeral ((gl_section_id_t) id));
        else
            GL_EMIT (out, &gl_rule_gid106, &w, "第%s部分没有任何内容",
                     "section %s has no content",
                     gl_section_numeral ((gl_section_id_t) id));
    }
}

const gl_rule_t gl_rule_gid106 = {
    .code = "GID106",
    .name = "empty-section",
    .severity = GL_SEV_ERROR,
    .summary_zh = "章节没有内容",
    .summary_en = "a section has no content",
    .doc_zh = "每一部分都须有内容。第六部分没有需要报告的事项时可写“无”；其余各部分写“无”"
              "或留空都不符合要求（第二至四部分须有统计表）。",
    .doc_en = "Every section needs content. Section 六 may say 无 when there "
              "is nothing to report; the others may not (sections 二 to 四 "
              "hold tables).",
    .example = "五、存在的主要问题及改进情况\n无",
    .check = check_gid106,
};

/*  ------------------------------------------------------------------ */

typedef enum { GL_MK_CN, GL_MK_PCN, GL_MK_AR, GL_MK_PAR, GL_MK_KINDS } gl_mk_t;

/*  Reads an item marker at the start of a line: "一、" "(一)" "1." "1、"
 *  "(1)".  Returns its length, 0 if none.                                 */
static size_t
s_marker (const char *s, size_t n, gl_mk_t *kind, int *value)
{
    size_t i = 0, k;
    if (n > 0 && s[0] == '(') {
        if ((k = gl_cn_numeral (s + 1, n - 1, value)) && 1 + k < n
            && s[1 + k] == ')') {
            *kind = GL_MK_PCN;
            return k + 2;
        }
        int v = 0;
        for (i = 1; i < n && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
            v = v * 10 + (s[i] - '0');
        if (i > 1 && i < n && s[i] == ')') {
            *kind = GL_MK_PAR;
            *value = v;
            return i + 1;
        }
        return 0;
    }
    if ((k = gl_cn_numeral (s, n, value)) && n - k >= 3
        && memcmp (s + k, "、", 3) == 0) {
        *kind = GL_MK_CN;
        return k + 3;
    }
    int v = 0;
    for (i = 0; i < n && i < 3 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    if (i == 0 || i >= n)
        return 0;
    if (s[i] == '.' && !(i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')) {
        *kind = GL_MK_AR;
        *value = v;
        return i + 1;
    }
    if (n - i >= 3 && memcmp (s + i, "、", 3) == 0) {
        *kind = GL_MK_AR;
        *value = v;
        return i + 3;
    }
    return 0;
}

static const char *
s_marker_text (gl_arena_t *a, gl_mk_t kind, int v)
{
    static const char *const cn[] = { "〇", "一", "二", "三", "四", "五",
                                      "六", "七", "八", "九", "十" };
    const char *c = v >= 0 && v <= 10 ? cn[v] : "?";
    switch (kind) {
    case GL_MK_CN:
        return gl_arena_printf (a, "%s、", c);
    case GL_MK_PCN:
        return gl_arena_printf (a, "（%s）", c);
    case GL_MK_PAR:
        return gl_arena_printf (a, "（%d）", v);
    default:
        return gl_arena_printf (a, "%d.", v);
    }
}

static void
check_gid107 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t n;
    const gl_para_t *paras = gl_doc_paras (doc, &n);
    gl_section_id_t sec = GL_SEC_COUNT;
    int last[GL_MK_KINDS];
    int rank[GL_MK_KINDS];      /* order of first appearance, -1 if none   */
    int next_rank = 0;
    gl_arena_t *a = gl_emit_arena (out);
    for (size_t p = 0; p < n; p++) {
        const gl_para_t *para = &paras[p];
        if (para->section == GL_SEC_NONE)
            continue;
        if (para->section != sec) {
            sec = para->section;
            for (int k = 0; k < GL_MK_KINDS; k++)
                last[k] = 0, rank[k] = -1;
            next_rank = 0;
        }
        gl_mk_t kind;
        int v;
        size_t len = s_marker (para->text, strlen (para->text), &kind, &v);
        if (!len)
            continue;
        if (rank[kind] < 0)
            rank[kind] = next_rank++;
        /* A marker resets the levels that first appeared below it. */
        for (int k = 0; k < GL_MK_KINDS; k++)
            if (rank[k] > rank[kind])
                last[k] = 0, rank[k] = -1;
        next_rank = rank[kind] + 1;
        for (int k = 0; k < GL_MK_KINDS; k++)
            if (rank[k] >= next_rank)
                next_rank = rank[k] + 1;
        int expected = last[kind] + 1;
        if (v != expected) {
            gl_where_t w = GL_WHERE_SPAN (((gl_span_t) {
                para->span.start, para->span.start + (uint32_t) len }));
            w.expected = GL_INT (expected);
            w.actual = GL_INT (v);
            const char *want = s_marker_text (a, kind, expected);
            const char *got = s_marker_text (a, kind, v);
            if (last[kind] == 0)
                GL_EMIT (out, &gl_rule_gid107, &w,
                         "序号从%s开始，缺少%s", "numbering starts at %s; %s is missing",
                         got, want);
            else if (v > expected)
                GL_EMIT (out, &gl_rule_gid107, &w,
                         "序号跳过：%s之后应为%s，实际为%s",
                         "numbering skips: after %s comes %s, not %s",
                         s_marker_text (a, kind, last[kind]), want, got);
            else
                GL_EMIT (out, &gl_rule_gid107, &w,
                         "序号重复或倒退：%s之后应为%s，实际为%s",
                         "numbering repeats: after %s comes %s, not %s",
                         s_marker_text (a, kind, last[kind]), want, got);
        }
        last[kind] = v;
    }
}

const gl_rule_t gl_rule_gid107 = {
    .code = "GID107",
    .name = "numbering-gap",
    .severity = GL_SEV_WARNING,
    .summary_zh = "小标题序号跳号或重复",
    .summary_en = "sub-item numbering skips or repeats",
    .doc_zh = "叙述部分的小标题（（一）（二）……或1. 2. ……）应连续编号。跳号多因删改时漏掉了"
              "一项（如第一部分缺少“（一）主动公开”），重号多因复制粘贴。下级序号在每个上级"
              "小标题下重新从1开始。",
    .doc_en = "Sub-items of the narrative ((一)(二)… or 1. 2. …) are numbered "
              "without gaps. A gap usually means an item was lost in editing "
              "(e.g. section 一 without its (一) proactive disclosure item); a "
              "repeat, a paste. Lower levels restart at 1 under each higher "
              "item.",
    .example = "一、总体情况\n（二）政府信息公开申请办理情况……",
    .check = check_gid107,
};
