/*  gl_canon.c: the report format as data.
 *
 *  Section titles, the canonical rows of the three tables with their
 *  wording in each edition, and their columns (国办公开办函〔2019〕60号 and
 *  〔2021〕30号).  Everything here is constant.
 */
#include "gl_internal.h"

#include <string.h>

#define E19 1u
#define E21 2u

static const char *const s_titles[GL_SEC_COUNT][2] = {
    { "", "" },
    { "总体情况", "Overview" },
    { "主动公开政府信息情况", "Proactive disclosure" },
    { "收到和处理政府信息公开申请情况", "Applications received and handled" },
    { "政府信息公开行政复议、行政诉讼情况",
      "Administrative reviews and lawsuits" },
    { "存在的主要问题及改进情况", "Main problems and improvements" },
    { "其他需要报告的事项", "Other matters to report" },
};

static const char *const s_numerals[GL_SEC_COUNT] = {
    "", "一", "二", "三", "四", "五", "六"
};

const char *
gl_section_title (gl_section_id_t id, gl_lang_t lang)
{
    if (id <= GL_SEC_NONE || id >= GL_SEC_COUNT)
        return NULL;
    return s_titles[id][lang == GL_LANG_EN];
}

const char *
gl_canon_section_title (gl_section_id_t id)
{
    return gl_section_title (id, GL_LANG_ZH);
}

const char *
gl_section_numeral (gl_section_id_t id)
{
    if (id <= GL_SEC_NONE || id >= GL_SEC_COUNT)
        return NULL;
    return s_numerals[id];
}

static const gl_row_info_t s_rows[GL_ROW_COUNT] = {
    { GL_R2_REGULATION, GL_SEC_2, "规章", NULL, "regulations", E19 | E21 },
    { GL_R2_NORMATIVE, GL_SEC_2, "行政规范性文件", "规范性文件",
      "normative documents", E19 | E21 },
    { GL_R2_LICENSING, GL_SEC_2, "行政许可", NULL, "licensing", E19 | E21 },
    { GL_R2_OTHER_SERVICE, GL_SEC_2, "其他对外管理服务事项", NULL,
      "other public services", E19 },
    { GL_R2_PENALTY, GL_SEC_2, "行政处罚", NULL, "penalties", E19 | E21 },
    { GL_R2_COERCION, GL_SEC_2, "行政强制", NULL, "coercive measures",
      E19 | E21 },
    { GL_R2_FEE, GL_SEC_2, "行政事业性收费", NULL, "administrative fees",
      E19 | E21 },
    { GL_R2_PROCUREMENT, GL_SEC_2, "政府集中采购", NULL,
      "central government procurement", E19 },
    { GL_R3_NEW, GL_SEC_3, "一、本年新收政府信息公开申请数量", NULL,
      "new applications this year", E19 | E21 },
    { GL_R3_CARRIED, GL_SEC_3, "二、上年结转政府信息公开申请数量", NULL,
      "carried over from last year", E19 | E21 },
    { GL_R3_GRANTED, GL_SEC_3, "（一）予以公开", NULL, "granted", E19 | E21 },
    { GL_R3_PARTIAL, GL_SEC_3,
      "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", NULL,
      "partly granted", E19 | E21 },
    { GL_R3_DENIED_1, GL_SEC_3, "（三）不予公开 1.属于国家秘密", NULL,
      "denied: state secret", E19 | E21 },
    { GL_R3_DENIED_2, GL_SEC_3, "（三）不予公开 2.其他法律行政法规禁止公开",
      NULL, "denied: barred by other laws", E19 | E21 },
    { GL_R3_DENIED_3, GL_SEC_3, "（三）不予公开 3.危及“三安全一稳定”", NULL,
      "denied: endangers security or stability", E19 | E21 },
    { GL_R3_DENIED_4, GL_SEC_3, "（三）不予公开 4.保护第三方合法权益", NULL,
      "denied: third-party rights", E19 | E21 },
    { GL_R3_DENIED_5, GL_SEC_3, "（三）不予公开 5.属于三类内部事务信息", NULL,
      "denied: internal affairs", E19 | E21 },
    { GL_R3_DENIED_6, GL_SEC_3, "（三）不予公开 6.属于四类过程性信息", NULL,
      "denied: process information", E19 | E21 },
    { GL_R3_DENIED_7, GL_SEC_3, "（三）不予公开 7.属于行政执法案卷", NULL,
      "denied: enforcement files", E19 | E21 },
    { GL_R3_DENIED_8, GL_SEC_3, "（三）不予公开 8.属于行政查询事项", NULL,
      "denied: administrative enquiry", E19 | E21 },
    { GL_R3_UNABLE_1, GL_SEC_3, "（四）无法提供 1.本机关不掌握相关政府信息",
      NULL, "unable: not held", E19 | E21 },
    { GL_R3_UNABLE_2, GL_SEC_3, "（四）无法提供 2.没有现成信息需要另行制作",
      NULL, "unable: would need to be produced", E19 | E21 },
    { GL_R3_UNABLE_3, GL_SEC_3, "（四）无法提供 3.补正后申请内容仍不明确",
      NULL, "unable: still unclear after correction", E19 | E21 },
    { GL_R3_NOT_HANDLED_1, GL_SEC_3, "（五）不予处理 1.信访举报投诉类申请",
      NULL, "not handled: petitions and complaints", E19 | E21 },
    { GL_R3_NOT_HANDLED_2, GL_SEC_3, "（五）不予处理 2.重复申请", NULL,
      "not handled: repeated", E19 | E21 },
    { GL_R3_NOT_HANDLED_3, GL_SEC_3, "（五）不予处理 3.要求提供公开出版物",
      NULL, "not handled: publications", E19 | E21 },
    { GL_R3_NOT_HANDLED_4, GL_SEC_3,
      "（五）不予处理 4.无正当理由大量反复申请", NULL,
      "not handled: mass repeated", E19 | E21 },
    { GL_R3_NOT_HANDLED_5, GL_SEC_3,
      "（五）不予处理 5.要求行政机关确认或重新出具已获取信息", NULL,
      "not handled: confirmation of held information", E19 | E21 },
    { GL_R3_OTHER, GL_SEC_3, "（六）其他处理", NULL, "other handling", E19 },
    { GL_R3_OTHER_1, GL_SEC_3,
      "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
      NULL, "other: no correction in time", E21 },
    { GL_R3_OTHER_2, GL_SEC_3,
      "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
      NULL, "other: fee not paid", E21 },
    { GL_R3_OTHER_3, GL_SEC_3, "（六）其他处理 3.其他", NULL, "other: other",
      E21 },
    { GL_R3_TOTAL, GL_SEC_3, "（七）总计", NULL, "total", E19 | E21 },
    { GL_R3_CARRY_OVER, GL_SEC_3, "四、结转下年度继续办理", NULL,
      "carried over to next year", E19 | E21 },
    { GL_R4_ALL, GL_SEC_4, "行政复议、行政诉讼", NULL,
      "reviews and lawsuits", E19 | E21 },
};

/*  Matching variants: the leaf wording of each row as printed in a cell.  */
/*  Matching variants: the leaf wording of each row as printed in a cell,
 *  in normalised form (ASCII brackets and commas, as gl_text.c folds them). */
static const char *const s_variants[GL_ROW_COUNT][4] = {
    [GL_R2_REGULATION] = { "规章" },
    [GL_R2_NORMATIVE] = { "行政规范性文件", "规范性文件" },
    [GL_R2_LICENSING] = { "行政许可" },
    [GL_R2_OTHER_SERVICE] = { "其他对外管理服务事项" },
    [GL_R2_PENALTY] = { "行政处罚" },
    [GL_R2_COERCION] = { "行政强制" },
    [GL_R2_FEE] = { "行政事业性收费" },
    [GL_R2_PROCUREMENT] = { "政府集中采购" },
    [GL_R3_NEW] = { "一、本年新收政府信息公开申请数量" },
    [GL_R3_CARRIED] = { "二、上年结转政府信息公开申请数量" },
    [GL_R3_GRANTED] = { "(一)予以公开" },
    [GL_R3_PARTIAL] =
        { "(二)部分公开(区分处理的,只计这一情形,不计其他情形)" },
    [GL_R3_DENIED_1] = { "1.属于国家秘密" },
    [GL_R3_DENIED_2] = { "2.其他法律行政法规禁止公开" },
    [GL_R3_DENIED_3] = { "3.危及“三安全一稳定”" },
    [GL_R3_DENIED_4] = { "4.保护第三方合法权益" },
    [GL_R3_DENIED_5] = { "5.属于三类内部事务信息" },
    [GL_R3_DENIED_6] = { "6.属于四类过程性信息" },
    [GL_R3_DENIED_7] = { "7.属于行政执法案卷" },
    [GL_R3_DENIED_8] = { "8.属于行政查询事项" },
    [GL_R3_UNABLE_1] = { "1.本机关不掌握相关政府信息" },
    [GL_R3_UNABLE_2] = { "2.没有现成信息需要另行制作" },
    [GL_R3_UNABLE_3] = { "3.补正后申请内容仍不明确" },
    [GL_R3_NOT_HANDLED_1] = { "1.信访举报投诉类申请" },
    [GL_R3_NOT_HANDLED_2] = { "2.重复申请" },
    [GL_R3_NOT_HANDLED_3] = { "3.要求提供公开出版物" },
    [GL_R3_NOT_HANDLED_4] = { "4.无正当理由大量反复申请" },
    [GL_R3_NOT_HANDLED_5] = { "5.要求行政机关确认或重新出具已获取信息" },
    [GL_R3_OTHER] = { "(六)其他处理" },
    [GL_R3_OTHER_1] =
        { "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" },
    [GL_R3_OTHER_2] =
        { "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" },
    [GL_R3_OTHER_3] = { "3.其他" },
    [GL_R3_TOTAL] = { "(七)总计" },
    [GL_R3_CARRY_OVER] = { "四、结转下年度继续办理" },
    [GL_R4_ALL] = { NULL },
};

const gl_row_info_t *
gl_row_info (gl_row_id_t id)
{
    if (id < 0 || id >= GL_ROW_COUNT)
        return NULL;
    return &s_rows[id];
}

const char *const *
gl_canon_row_variants (gl_row_id_t id)
{
    if (id < 0 || id >= GL_ROW_COUNT)
        return NULL;
    return s_variants[id];
}

static unsigned
s_edition_bit (gl_edition_t e)
{
    return e == GL_EDITION_2019 ? E19 : e == GL_EDITION_2021 ? E21 : 0;
}

/*  Column headers of section 二 rows.                                      */
static const char *const s_cols2_21_docs[] = {
    "本年制发件数", "本年废止件数", "现行有效件数", NULL
};
static const char *const s_cols2_21_decisions[] = { "本年处理决定数量", NULL };
static const char *const s_cols2_21_fee[] = {
    "本年收费金额（单位：万元）", NULL
};
static const char *const s_cols2_19_docs[] = {
    "本年新制作数量", "本年新公开数量", "对外公开总数量", NULL
};
static const char *const s_cols2_19_items[] = {
    "上一年项目数量", "本年增/减", "处理决定数量", NULL
};
static const char *const s_cols2_19_fee[] = {
    "上一年项目数量", "本年增/减", NULL
};
static const char *const s_cols2_19_procurement[] = {
    "采购项目数量", "采购总金额（万元）", NULL
};
static const char *const s_cols3[2][8] = {
    { "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
      "其他", "总计", NULL },
    { "natural persons", "businesses", "research institutions",
      "public-interest organisations", "legal service organisations",
      "other organisations", "total", NULL },
};
static const char *const s_cols4[2][16] = {
    { "行政复议·结果维持", "行政复议·结果纠正", "行政复议·其他结果",
      "行政复议·尚未审结", "行政复议·总计",
      "未经复议直接起诉·结果维持", "未经复议直接起诉·结果纠正",
      "未经复议直接起诉·其他结果", "未经复议直接起诉·尚未审结",
      "未经复议直接起诉·总计",
      "复议后起诉·结果维持", "复议后起诉·结果纠正", "复议后起诉·其他结果",
      "复议后起诉·尚未审结", "复议后起诉·总计", NULL },
    { "review: upheld", "review: corrected", "review: other",
      "review: pending", "review: total",
      "direct suit: upheld", "direct suit: corrected", "direct suit: other",
      "direct suit: pending", "direct suit: total",
      "suit after review: upheld", "suit after review: corrected",
      "suit after review: other", "suit after review: pending",
      "suit after review: total", NULL },
};

static const char *const *
s_columns (gl_row_id_t id, gl_edition_t edition, gl_lang_t lang)
{
    const gl_row_info_t *info = gl_row_info (id);
    if (!info)
        return NULL;
    if (info->section == GL_SEC_3)
        return (info->editions & s_edition_bit (edition)) ? s_cols3[lang]
                                                            : NULL;
    if (info->section == GL_SEC_4)
        return s_cols4[lang];
    if (!(info->editions & s_edition_bit (edition)))
        return NULL;
    bool e21 = edition == GL_EDITION_2021;
    switch (id) {
    case GL_R2_REGULATION:
    case GL_R2_NORMATIVE:
        return e21 ? s_cols2_21_docs : s_cols2_19_docs;
    case GL_R2_LICENSING:
    case GL_R2_OTHER_SERVICE:
    case GL_R2_PENALTY:
    case GL_R2_COERCION:
        return e21 ? s_cols2_21_decisions : s_cols2_19_items;
    case GL_R2_FEE:
        return e21 ? s_cols2_21_fee : s_cols2_19_fee;
    case GL_R2_PROCUREMENT:
        return s_cols2_19_procurement;
    default:
        return NULL;
    }
}

size_t
gl_row_columns (gl_row_id_t id, gl_edition_t edition)
{
    const char *const *cols = s_columns (id, edition, GL_LANG_ZH);
    size_t n = 0;
    while (cols && cols[n])
        n++;
    return n;
}

const char *
gl_column_label (gl_row_id_t id, gl_edition_t edition, size_t col,
                 gl_lang_t lang)
{
    /* Section 二 headers have no English of their own: use the Chinese. */
    const char *const *cols = s_columns (id, edition, lang);
    if (!cols)
        cols = s_columns (id, edition, GL_LANG_ZH);
    if (!cols || col >= gl_row_columns (id, edition))
        return NULL;
    return cols[col];
}

bool
gl_canon_is_money (gl_row_id_t id, gl_edition_t edition, size_t col)
{
    if (id == GL_R2_FEE && edition == GL_EDITION_2021)
        return col == 0;
    if (id == GL_R2_PROCUREMENT)
        return col == 1;
    return false;
}

bool
gl_canon_may_be_negative (gl_row_id_t id, gl_edition_t edition, size_t col)
{
    if (edition != GL_EDITION_2019 || col != 1)
        return false;
    return id == GL_R2_LICENSING || id == GL_R2_OTHER_SERVICE
           || id == GL_R2_PENALTY || id == GL_R2_COERCION || id == GL_R2_FEE;
}

static const char *const s_words_2021[] = {
    "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
    "本年收费金额", "行政规范性文件", NULL
};
static const char *const s_words_2019[] = {
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
    "本年增/减", "处理决定数量", "采购项目数量", "采购总金额",
    "其他对外管理服务事项", "政府集中采购", "规范性文件", NULL
};

const char *const *
gl_canon_edition_words (gl_edition_t edition)
{
    return edition == GL_EDITION_2021   ? s_words_2021
           : edition == GL_EDITION_2019 ? s_words_2019
                                        : NULL;
}
