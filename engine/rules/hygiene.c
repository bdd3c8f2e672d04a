/*  hygiene.c: GID5xx, what must not be published: conversion debris and
 *  personal data.
 *
 *  GID501 looks for what Word-, PDF- and HTML-to-text converters and OCR
 *  leave behind: image and bookmark placeholders anywhere, and in the
 *  narrative sections lines of OCR garbage or a stray number between two
 *  paragraphs.  GID502 looks for mainland resident ID numbers (validated by
 *  birth date and check digit) and mobile phone numbers.  Both read the
 *  normalised text directly; neither allocates.
 */
#include "gl_internal.h"

#include <string.h>

/*  ---------------------------------------------------------------------
 *  Helpers.                                                               */

static bool
s_is_digit (char c)
{
    return c >= '0' && c <= '9';
}

static bool
s_is_alpha (char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
s_lower (char c)
{
    return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/*  True if s[i..] starts with lit, ASCII case-insensitively, within lim.  */
static bool
s_at_ci (const char *s, size_t i, size_t lim, const char *lit)
{
    size_t n = strlen (lit);
    if (i > lim || n > lim - i)
        return false;
    for (size_t k = 0; k < n; k++)
        if (s_lower (s[i + k]) != lit[k])
            return false;
    return true;
}

/*  The shown part of a span: at most max bytes, cut at a character
 *  boundary.  Returns the byte count for "%.*s".                          */
static int
s_shown (const char *s, size_t start, size_t end, size_t max, bool *cut)
{
    size_t n = end - start;
    *cut = n > max;
    if (*cut) {
        n = max;
        while (n > 0 && ((unsigned char) s[start + n] & 0xC0) == 0x80)
            n--;
    }
    return (int) n;
}

/*  ---------------------------------------------------------------------
 *  GID501 extraction-noise.                                               */

/*  Longest marker looked for, in bytes: bounds the work on a line of
 *  unclosed brackets.                                                      */
#define S_MARKER_MAX 256

/*  First position of c in s[from, lim), or lim.                            */
static size_t
s_close (const char *s, size_t from, size_t lim, char c)
{
    while (from < lim && s[from] != c)
        from++;
    return from;
}

/*  A conversion marker at s[i] of the line [i, eol): returns its end, or i.
 *  "[image: …]", "[bookmark: …]", "[pic…]", "<img …>", "![…](…)".  An
 *  unclosed placeholder runs to the end of the line (at most
 *  S_MARKER_MAX bytes, cut at a character boundary).                      */
static size_t
s_marker (const char *s, size_t i, size_t eol)
{
    size_t lim = eol - i > S_MARKER_MAX ? i + S_MARKER_MAX : eol;
    char close;
    if (s[i] == '[' && (s_at_ci (s, i, eol, "[image:")
                        || s_at_ci (s, i, eol, "[bookmark:")
                        || s_at_ci (s, i, eol, "[pic")))
        close = ']';
    else if (s[i] == '<' && s_at_ci (s, i, eol, "<img")
             && !(i + 4 < eol && s_is_alpha (s[i + 4])))
        close = '>';
    else if (s[i] == '!' && i + 1 < eol && s[i + 1] == '[') {
        /* A Markdown image: ![alt](target). */
        size_t j = s_close (s, i + 2, lim, ']');
        if (j + 1 >= lim || s[j + 1] != '(')
            return i;
        j = s_close (s, j + 2, lim, ')');
        return j < lim ? j + 1 : i;
    } else
        return i;
    size_t j = s_close (s, i + 1, lim, close);
    if (j < lim)
        return j + 1;
    while (lim > i + 1 && lim < eol && ((unsigned char) s[lim] & 0xC0) == 0x80)
        lim--;
    return lim;
}

static bool
s_marker_start (char c)
{
    return c == '[' || c == '<' || c == '!';
}

static void
s_emit_marker (gl_emit_t *out, const char *s, size_t start, size_t end)
{
    bool cut;
    int n = s_shown (s, start, end, 60, &cut);
    gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { (uint32_t) start,
                                                  (uint32_t) end }));
    GL_EMIT (out, &gl_rule_gid501, &w,
             "文本中有格式转换残留的占位符“%.*s%s”；请删除，"
             "并确认原文此处的图片等内容已以文字或表格形式发布",
             "conversion debris \"%.*s%s\" (an image or bookmark placeholder); "
             "delete it, and make sure what it stood for is published as text "
             "or a table",
             n, s + start, cut ? "…" : "");
}

/*  What a narrative line holds once markers are taken out.                */
typedef struct {
    size_t start, end;          /* first and last non-space byte + 1        */
    size_t cjk, letters, digits, junk, other;
    size_t markers;
} s_line_t;

/*  Characters OCR makes of table rules and stamps, rare in real prose.    */
static bool
s_is_junk (char c)
{
    return c != '\0' && strchr ("|\\^~`{}<>=_", c) != NULL;
}

/*  Scans a narrative line, up to its first ideograph outside a marker
 *  (with one, ln->cjk > 0 and the counts stop there).                      */
static void
s_line_scan (const char *s, size_t a, size_t e, s_line_t *ln)
{
    memset (ln, 0, sizeof *ln);
    ln->start = ln->end = a;
    bool seen = false;
    size_t i = a;
    while (i < e) {
        size_t m = s_marker_start (s[i]) ? s_marker (s, i, e) : i;
        if (m != i) {
            ln->markers++;
            i = m;
            continue;
        }
        size_t k = i;
        uint32_t cp;
        if ((unsigned char) s[i] < 0x80)
            cp = (unsigned char) s[k++];
        else
            cp = gl_utf8_next (s, e, &k);
        if (cp != ' ' && cp != '\t' && cp != 0x3000) {
            if (!seen)
                ln->start = i;
            seen = true;
            ln->end = k;
            if (gl_is_cjk (cp)) {
                /* An ideograph outside a marker makes the line prose:
                 * neither garbage, nor stray, nor markers alone; the rest
                 * of it cannot change that. */
                ln->cjk++;
                return;
            }
            else if (cp < 128 && s_is_alpha ((char) cp))
                ln->letters++;
            else if (cp < 128 && s_is_digit ((char) cp))
                ln->digits++;
            else if (cp < 128 && s_is_junk ((char) cp))
                ln->junk++;
            else
                ln->other++;
        }
        i = k;
    }
    if (!seen)
        ln->start = ln->end = e;
}

/*  True if the line names a web or mail address.                          */
static bool
s_url (const char *s, const s_line_t *ln)
{
    for (size_t j = ln->start; j < ln->end; j++)
        if (s_at_ci (s, j, ln->end, "http") || s_at_ci (s, j, ln->end, "www.")
            || s[j] == '@')
            return true;
    return false;
}

/*  A line of OCR garbage: no ideograph, some Latin letters and a symbol
 *  that prose does not use ('25 | TEEM "HEHRIGE" B').                      */
static bool
s_garbage (const char *s, const s_line_t *ln)
{
    if (ln->cjk || ln->letters < 3 || ln->junk == 0 || s_url (s, ln))
        return false;
    /* A Markdown table row (| a | b |) is markup, not garbage. */
    return !(s[ln->start] == '|' && s[ln->end - 1] == '|');
}

/*  A stray line: only a short number ("5") or one to three stray symbols.
 *  Markdown rules ("---", "***") are markup and not stray.                 */
static bool
s_stray (const char *s, const s_line_t *ln, int *number)
{
    *number = -1;
    size_t n = ln->end - ln->start;
    if (n == 0 || ln->cjk || ln->letters)
        return false;
    if (ln->digits == n && n <= 4) {
        *number = 0;
        for (size_t i = ln->start; i < ln->end; i++)
            *number = *number * 10 + (s[i] - '0');
        return true;
    }
    if (ln->digits)
        return false;
    bool markup = true;
    size_t chars = 0;
    for (size_t i = ln->start; i < ln->end;) {
        size_t k = i;
        uint32_t cp = gl_utf8_next (s, ln->end, &k);
        static const uint32_t stray[] = {
            '|', '~', '^', '\\', '/', '`', '\'', '"', '.', ',', ':', ';',
            0x00B7, 0x2022, 0x3001, 0x3002, 0x25CB, 0x25CF, 0x25A0, 0x25A1,
            0x25AA, 0x25C6, 0x2605, 0x203B, 0
        };
        bool ok = false;
        for (size_t t = 0; stray[t]; t++)
            ok = ok || cp == stray[t];
        if (cp == '*' || cp == '-' || cp == '_' || cp == '=' || cp == '#')
            ok = true;
        else
            markup = false;
        if (!ok && cp != ' ' && cp != '\t')
            return false;
        chars++;
        i = k;
    }
    return chars <= 3 && !markup;
}

/*  True if the line [a, e) starts with a character that continues the
 *  previous line: punctuation closing a number ("、", ".", ")") or a unit
 *  ("条", "件" …), as when a sentence or a list number was wrapped.        */
static bool
s_continues (const char *s, size_t a, size_t e)
{
    static const char *const heads[] = {
        ".", "、", ")", "）", ",", "，", "。", "%", "．", "条", "件", "个",
        "年", "月", "日", "次", "项", "万", "元", "余", "多", "号", "期", "篇",
        "份", "人", "户", "家", NULL
    };
    while (a < e && (s[a] == ' ' || s[a] == '\t'))
        a++;
    for (size_t k = 0; heads[k]; k++) {
        size_t n = strlen (heads[k]);
        if (n <= e - a && memcmp (s + a, heads[k], n) == 0)
            return true;
    }
    return false;
}

static bool
s_starts_cjk (const char *s, size_t a, size_t e)
{
    while (a < e && (s[a] == ' ' || s[a] == '\t'))
        a++;
    if (a >= e)
        return false;
    return gl_is_cjk (gl_utf8_next (s, e, &a));
}

static bool
s_narrative_section (gl_section_id_t sec)
{
    return sec == GL_SEC_1 || sec == GL_SEC_5 || sec == GL_SEC_6;
}

static void
check_gid501 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t len;
    const char *s = gl_doc_text (doc, &len);
    if (!s)
        return;

    /* Markers, anywhere in the text.  Only '[', '<' and '!' can start
     * one, so the scan jumps from one of those to the next, and looks for
     * the end of the line (a marker never runs past it) only there. */
    size_t eol = 0;
    bool have_eol = false;
    for (size_t j = 0; j < len;) {
        /* s holds no NUL before len (input with NUL is not decoded). */
        const char *c = strpbrk (s + j, "[<!");
        if (!c || (size_t) (c - s) >= len)
            break;
        j = (size_t) (c - s);
        if (!have_eol || j > eol) {
            const char *nl = memchr (s + j, '\n', len - j);
            eol = nl ? (size_t) (nl - s) : len;
            have_eol = true;
        }
        size_t m = s_marker (s, j, eol);
        if (m == j) {
            j++;
            continue;
        }
        s_emit_marker (out, s, j, m);
        j = m;
    }

    /* Garbage and stray lines, in the narrative paragraphs.  A stray
     * number is debris only between two paragraphs of the same section,
     * and not where it could be a wrapped figure or a list number. */
    size_t n;
    const gl_para_t *paras = gl_doc_paras (doc, &n);
    bool prev_debris = false;
    for (size_t p = 0; p < n; p++) {
        const gl_para_t *para = &paras[p];
        if (para->span.end > len || para->span.start > para->span.end) {
            prev_debris = false;
            continue;
        }
        s_line_t ln;
        s_line_scan (s, para->span.start, para->span.end, &ln);
        bool debris = ln.markers > 0 && ln.start == ln.end;
        gl_span_t span = { (uint32_t) ln.start, (uint32_t) ln.end };
        int number;
        if ((s_narrative_section (para->section)
             || para->section == GL_SEC_NONE)
            && s_garbage (s, &ln)) {
            bool cut;
            int shown = s_shown (s, ln.start, ln.end, 60, &cut);
            gl_where_t w = GL_WHERE_SPAN (span);
            GL_EMIT (out, &gl_rule_gid501, &w,
                     "正文中有一行疑似识别（OCR）乱码“%.*s%s”；请删除，"
                     "或按原件改为正确的文字",
                     "a line of what looks like OCR garbage, \"%.*s%s\"; "
                     "delete it or replace it with the text of the original",
                     shown, s + ln.start, cut ? "…" : "");
            debris = true;
        } else if (s_narrative_section (para->section)
                   && s_stray (s, &ln, &number) && p > 0 && p + 1 < n
                   && paras[p - 1].section == para->section
                   && paras[p + 1].section == para->section) {
            const gl_para_t *next = &paras[p + 1];
            bool flag = prev_debris;
            if (!flag && next->span.end <= len
                && !s_continues (s, next->span.start, next->span.end))
                flag = !(number >= 0 && number <= 30
                         && s_starts_cjk (s, next->span.start,
                                          next->span.end));
            if (flag) {
                gl_where_t w = GL_WHERE_SPAN (span);
                GL_EMIT (out, &gl_rule_gid501, &w,
                         "正文段落之间有一行孤立的“%.*s”，疑似页码、"
                         "图片或识别残留；请删除",
                         "a stray line \"%.*s\" between paragraphs, likely a "
                         "page number or left over from an image or OCR; "
                         "delete it",
                         (int) (ln.end - ln.start), s + ln.start);
                debris = true;
            }
        }
        prev_debris = debris;
    }
}

const gl_rule_t gl_rule_gid501 = {
    .code = "GID501",
    .name = "extraction-noise",
    .severity = GL_SEV_WARNING,
    .summary_zh = "文本中有格式转换残留或识别乱码",
    .summary_en = "conversion debris or OCR garbage in the text",
    .doc_zh = "报告从Word、PDF、网页或扫描件转换为文本时，常留下残留物："
              "图片占位符“[image: image2.png]”、书签“[bookmark: _Toc1]”、"
              "“[pic]”、HTML的“<img …>”、Markdown图片“![](…)”，"
              "以及扫描识别产生的乱码行（不含汉字、夹杂“|”等符号的字母串）"
              "和夹在正文段落之间的孤立数字或符号。本规则在全文查找占位符，"
              "在第一、五、六部分的叙述文字中查找乱码行和孤立行（不检查表格，"
              "也不把分条序号当作残留）。这些内容发布出去会让读者困惑，"
              "也说明原文中的图片等信息可能没有真正公开。请删除残留，"
              "并把图片所载内容改写为文字或表格。",
    .doc_en = "Converting a report from Word, PDF, a web page or a scan to "
              "text leaves debris: image placeholders (\"[image: "
              "image2.png]\"), bookmarks (\"[bookmark: _Toc1]\"), \"[pic]\", "
              "HTML \"<img …>\", Markdown images (\"![](…)\"), lines of OCR "
              "garbage (Latin letters mixed with symbols such as \"|\", no "
              "Chinese) and a stray number or symbol on its own line between "
              "paragraphs. This rule looks for placeholders in the whole text, "
              "and for garbage and stray lines in the narrative of sections "
              "一, 五 and 六 (never in the tables, and never taking a list "
              "number for debris). Published, such debris confuses readers and "
              "suggests the content of an image was never really disclosed. "
              "Delete it, and give what the image showed as text or a table.",
    .example = "积极打造阳光政务。\n[image: image2.png]25 | TEEM \"HEHRIGE\" "
               "B\n5\n（二）政府信息公开申请办理情况。",
    .check = check_gid501,
};

/*  ---------------------------------------------------------------------
 *  GID502 personal-data.                                                  */

static bool
s_leap (int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*  Reads n digits at s as a number.                                        */
static int
s_num (const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/*  True for a valid 18-character resident ID number at s: a birth date in
 *  the 1900s or 2000s and the ISO 7064 MOD 11-2 check character.          */
static bool
s_id_number (const char *s)
{
    int y = s_num (s + 6, 4), m = s_num (s + 10, 2), d = s_num (s + 12, 2);
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                 31 };
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1
        || d > mdays[m - 1] + (m == 2 && s_leap (y)))
        return false;
    static const int weight[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
                                  5, 8, 4, 2 };
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * weight[i];
    char check = "10X98765432"[sum % 11];
    char last = s[17] == 'x' ? 'X' : s[17];
    return last == check;
}

static bool
s_mobile_prefix (const char *s)
{
    return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/*  A run of exactly n digits at s[i] (not longer).                         */
static bool
s_run (const char *s, size_t len, size_t i, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (i + k >= len || !s_is_digit (s[i + k]))
            return false;
    return i + n >= len || !s_is_digit (s[i + n]);
}

/*  The first digit of s[i, len), or len: eight bytes at a time while none
 *  of them is '0'-'9' (per byte, without carries: bytes under 0x80 only,
 *  x + 0x50 reaches 0x80 from '0' on, x + 0x46 from ':' on).               */
static size_t
s_next_digit (const char *s, size_t i, size_t len)
{
    const uint64_t hi = UINT64_C (0x8080808080808080);
    const uint64_t low7 = UINT64_C (0x7F7F7F7F7F7F7F7F);
    while (i + 8 <= len) {
        uint64_t w;
        memcpy (&w, s + i, 8);
        uint64_t x = w & low7;
        uint64_t ge0 = (x + UINT64_C (0x5050505050505050)) & hi;
        uint64_t gt9 = (x + UINT64_C (0x4646464646464646)) & hi;
        if (ge0 & ~gt9 & ~w & hi)
            break;
        i += 8;
    }
    while (i < len && !s_is_digit (s[i]))
        i++;
    return i;
}

static void
check_gid502 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t len;
    const char *s = gl_doc_text (doc, &len);
    if (!s)
        return;
    size_t i = 0;
    while (i < len) {
        if (!s_is_digit (s[i])) {
            i = s_next_digit (s, i + 1, len);
            continue;
        }
        if (i > 0 && s_is_digit (s[i - 1])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && s_is_digit (s[j]))
            j++;
        size_t run = j - i, end = j;
        char masked[32];
        bool id = false, phone = false;
        /* An ID number is 17 digits and a digit or X. */
        size_t id_end = run == 18 ? j
                        : run == 17 && j < len && (s[j] == 'X' || s[j] == 'x')
                            ? j + 1
                            : 0;
        if (id_end && (id_end >= len || !s_is_alpha (s[id_end]))
            && s_id_number (s + i)) {
            id = true;
            end = id_end;
            memcpy (masked, s + i, 6);
            memset (masked + 6, '*', 8);
            memcpy (masked + 14, s + i + 14, 4);
            masked[18] = '\0';
        } else if (run == 11 && s_mobile_prefix (s + i)
                   && !(j + 1 < len && s[j] == '.' && s_is_digit (s[j + 1]))) {
            phone = true;
            memcpy (masked, s + i, 3);
            memcpy (masked + 3, "****", 4);
            memcpy (masked + 7, s + i + 7, 4);
            masked[11] = '\0';
        } else if (run == 3 && s_mobile_prefix (s + i) && j + 10 <= len
                   && (s[j] == '-' || s[j] == ' ') && s_run (s, len, j + 1, 4)
                   && s[j + 5] == s[j] && s_run (s, len, j + 6, 4)) {
            /* Written in groups: 138-1234-5678 or 138 1234 5678. */
            phone = true;
            end = j + 10;
            memcpy (masked, s + i, 3);
            memcpy (masked + 3, "****", 4);
            memcpy (masked + 7, s + j + 6, 4);
            masked[11] = '\0';
        }
        if (id || phone) {
            gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { (uint32_t) i,
                                                          (uint32_t) end }));
            if (id)
                GL_EMIT (out, &gl_rule_gid502, &w,
                         "文本中有居民身份证号码（%s），属于个人信息；"
                         "发布前请删除或作脱敏处理",
                         "a resident ID number (%s) appears in the text; it is "
                         "personal data: delete or mask it before publication",
                         masked);
            else
                GL_EMIT (out, &gl_rule_gid502, &w,
                         "文本中有手机号码（%s），属于个人信息；发布前请删除，"
                         "或改为单位办公电话",
                         "a mobile phone number (%s) appears in the text; it "
                         "is personal data: delete it or give an office number "
                         "instead",
                         masked);
        }
        i = end > j ? end : j;
    }
}

const gl_rule_t gl_rule_gid502 = {
    .code = "GID502",
    .name = "personal-data",
    .severity = GL_SEV_ERROR,
    .summary_zh = "文本中有居民身份证号码或手机号码",
    .summary_en = "a resident ID number or a mobile phone number in the text",
    .doc_zh = "年度报告向社会公开，不得包含个人信息。"
              "本规则查找18位居民身份证号码（出生日期有效且校验码正确）"
              "和11位手机号码（1开头、第二位为3至9，包括“138-1234-5678”"
              "这样分段书写的），更长的数字串不算。这类号码多是从申请登记表、"
              "经办人联系方式中误带进来的，公开后会泄露个人隐私，"
              "违反《个人信息保护法》和《政府信息公开条例》的要求。请删除号码，"
              "或改为单位办公电话；确需保留的应作脱敏处理。"
              "提示中只显示号码的部分数字。",
    .doc_en = "An annual report is published to everyone and must not carry "
              "personal data. This rule looks for 18-character mainland "
              "resident ID numbers (with a valid birth date and check "
              "character) and 11-digit mobile numbers (1, then 3-9; also "
              "written in groups as \"138-1234-5678\"), but not inside a "
              "longer run of digits. Such numbers usually slip in from an "
              "application register or a contact line, and publishing them "
              "breaches the Personal Information Protection Law and the "
              "disclosure regulations. Delete them or give an office number; "
              "mask any that must stay. Messages show the number masked.",
    .example = "如有疑问，请联系经办人，电话13812345678。",
    .check = check_gid502,
};
