/*  gl_gen.c: the synthetic report generator (see gl_gen.h).
 *
 *  A report is drawn first as figures (section 二 cells, the section 三
 *  matrix, the fifteen section 四 values) that satisfy every identity of
 *  the format, then written out: title, six sections, narrative restating
 *  the figures, tables in the chosen layout.  Defects are applied to the
 *  figures or the text before writing, and their codes recorded.
 */
#include "gl_gen.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*  ------------------------------------------------------------------ */
/*  PRNG: splitmix64.                                                   */

typedef struct {
    uint64_t s;
} gen_rng_t;

static uint64_t
rng_next (gen_rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/*  Uniform in [0, n); n > 0.                                           */
static int
rng_int (gen_rng_t *r, int n)
{
    return (int) (rng_next (r) % (uint64_t) n);
}

/*  True with probability pct/100.                                      */
static bool
rng_pct (gen_rng_t *r, int pct)
{
    return rng_int (r, 100) < pct;
}

#define PICK(r, arr) ((arr)[rng_int ((r), (int) (sizeof (arr) / sizeof (arr)[0]))])

/*  Index drawn with the given weights.                                 */
static int
rng_weighted (gen_rng_t *r, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    int x = rng_int (r, sum);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/*  ------------------------------------------------------------------ */
/*  Output buffer.                                                      */

void
gl_gen_putn (gl_gen_buf_t *b, const char *s, size_t k)
{
    if (b->oom)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (b->n + k + 1 > cap)
            cap *= 2;
        char *p = realloc (b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy (b->s + b->n, s, k);
    b->n += k;
    b->s[b->n] = '\0';
}

void
gl_gen_put (gl_gen_buf_t *b, const char *s)
{
    gl_gen_putn (b, s, strlen (s));
}

static void buf_printf (gl_gen_buf_t *b, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

static void
buf_printf (gl_gen_buf_t *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start (ap, fmt);
    int k = vsnprintf (tmp, sizeof tmp, fmt, ap);
    va_end (ap);
    if (k < 0)
        return;
    gl_gen_putn (b, tmp, (size_t) k < sizeof tmp ? (size_t) k : sizeof tmp - 1);
}

/*  ------------------------------------------------------------------ */
/*  Word lists.                                                         */

static const char *const s_cities[] = {
    "青山市", "临川市", "桓台县", "舞钢市", "绿水县", "安平市", "清河市", "长宁县",
    "永丰县", "东阳市", "南平市", "宁远县", "石城县", "兴隆县", "平阳县", "龙泉市",
    "丰城市", "宜兴市", "海宁市", "武安市", "德清县", "新昌县", "云和县", "泰和县",
};
static const char *const s_districts[] = {
    "", "", "城关区", "城南区", "城北区", "新华区", "高新区", "经济开发区", "东城区",
    "西湖区", "河东区",
};
static const char *const s_towns[] = {
    "城区", "铁山", "绿水", "白云", "金山", "桃源", "清溪", "东湖", "柳林", "石桥",
    "凤凰", "龙门", "花园", "马鞍山", "朝阳", "和平",
};
static const char *const s_offices[] = {
    "人民政府办公室", "人民政府", "发展和改革局", "自然资源和规划局", "教育局",
    "卫生健康委员会", "市场监督管理局", "住房和城乡建设局", "交通运输局",
    "生态环境局", "农业农村局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "应急管理局", "商务局", "文化广电和旅游局", "水利局", "统计局",
};
static const char *const s_channels[] = {
    "政府网站", "政务微信", "政务微博", "政务客户端", "政务抖音", "公开栏", "报刊",
};
static const char *const s_intro[] = {
    "认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作",
    "坚持以公开为常态、不公开为例外，持续推进政务公开标准化规范化建设",
    "围绕中心工作，不断完善政府信息公开制度，提升政务公开质量",
    "按照上级关于政务公开工作的部署要求，进一步加大政府信息公开力度",
};
static const char *const s_manage[] = {
    "严格执行保密审查制度，落实“先审后发”。",
    "规范信息发布流程，落实保密审查。",
    "及时更新政府信息公开指南，做好政策文件清理工作。",
    "建立健全信息发布协调机制，确保发布信息准确一致。",
};
static const char *const s_platform[] = {
    "完善政府信息公开专栏，优化栏目设置。",
    "持续完善政府网站信息公开栏目。",
    "加强政务新媒体管理，拓宽公开渠道。",
    "推进政府网站集约化建设，提升检索和互动功能。",
};
static const char *const s_oversight[] = {
    "将政务公开工作纳入年度绩效考核，定期开展自查。",
    "组织开展政务公开业务培训，提高工作人员业务水平。",
    "主动接受社会监督，畅通意见反馈渠道。",
};
static const char *const s_problems[] = {
    "政策解读形式较为单一，图解、视频解读较少。",
    "主动公开的内容还不够丰富，公开的及时性有待提高。",
    "工作人员业务能力有待加强，依申请公开答复规范性不足。",
    "政务新媒体更新频率不高，互动回应不够及时。",
};
static const char *const s_improve[] = {
    "下一步将丰富解读形式，提高政策解读质量。",
    "下一步将加强培训，提高信息发布质量。",
    "下一步将健全工作机制，规范依申请公开办理流程。",
    "下一步将加强平台建设，提升公开实效。",
};
static const char *const s_other_2021[] = {
    "本年度未收取信息处理费。",
    "本机关未收取政府信息公开信息处理费。",
    "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
};
static const char *const s_other_2019[] = {
    "无",
    "无其他需要报告的事项。",
    "本年度无其他需要报告的事项。",
};

/*  ------------------------------------------------------------------ */
/*  The tables' labels.                                                 */

const char *const gl_gen_r2_label_2021[6] = {
    "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"
};
const char *const gl_gen_r2_group_2021[6] = {
    "第二十条第（一）项", NULL, "第二十条第（五）项", "第二十条第（六）项", NULL,
    "第二十条第（八）项"
};
const char *const gl_gen_r2_hdr_2021[6] = {
    "信息内容|本年制发件数|本年废止件数|现行有效件数", NULL,
    "信息内容|本年处理决定数量", "信息内容|本年处理决定数量", NULL,
    "信息内容|本年收费金额（单位：万元）"
};

/*  Section 三 row labels; "|" separates cells (a group label written in
 *  its own cell before the first item).                                */
const char *const gl_gen_r3_label_2021[25] = {
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果|（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开|1.属于国家秘密", "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
    "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "（四）无法提供|1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确", "（五）不予处理|1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他", "（七）总计", "四、结转下年度继续办理"
};

/*  Row indexes of the section 三 matrix (2021 numbering; in the 2019
 *  edition （六） is one row, so （七） and 四 move up by two).           */
enum {
    R3_NEW = 0, R3_CARRY = 1, R3_OPEN = 2, R3_PARTIAL = 3, R3_DENIED = 4,
    R3_UNABLE = 12, R3_REFUSED = 15, R3_OTHER = 20, R3_MAX = 25
};

/*  Reworded row labels for GL_GEN_D_LABEL: the row index and the new label. */
static const struct {
    int row;
    const char *from, *to;
} s_rewords[] = {
    { 7, "4.保护第三方合法权益", "4.保护第三人合法权益" },
    { 5, "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开" },
    { 13, "2.没有现成信息需要另行制作", "2.没有现成信息需要重新制作" },
    { 16, "2.重复申请", "2.重复提出申请" },
    { 17, "3.要求提供公开出版物", "3.要求提供已公开出版物" },
    { 24, "四、结转下年度继续办理", "四、结转下年继续办理" },
};

/*  ------------------------------------------------------------------ */
/*  The report model.                                                   */

typedef struct {
    int year, edition;
    gl_gen_layout_t layout;
    char body[256];
    bool annual;                /* title says 年度 */
    /* Section 二: cells as text, per data row. */
    int n_r2;
    char r2[8][4][24];
    int r2_n[8];
    /* Section 三: rows x 7 columns (2021 numbering; n_r3 rows written). */
    int r3[R3_MAX][7];
    int n_r3;
    /* Section 四. */
    int r4[15];
    /* Narrative. */
    int pub_total, n_parts, parts[4];
    int parts_ch[4];
    int stated_received;        /* "共收到政府信息公开申请N件" */
    int space_gap;              /* spaces between cells (spaces layout) */
    int missing_section;        /* 0 or 5/6 */
    int label_reword;           /* -1 or index into s_rewords */
    bool merged, image;
    int image_para;
} gen_report_t;

/*  Rows of the section 三 table in the report's edition.              */
static int
r3_written_rows (const gen_report_t *g)
{
    return g->edition == 2021 ? 25 : 23;
}

static void
draw_section2 (gen_report_t *g, gen_rng_t *r)
{
    if (g->edition == 2021) {
        g->n_r2 = 6;
        for (int i = 0; i < 2; i++) {
            int made = rng_pct (r, 60) ? 0 : rng_int (r, 6);
            int repealed = rng_pct (r, 70) ? 0 : rng_int (r, 4);
            int valid = made + rng_int (r, 40);
            snprintf (g->r2[i][0], 24, "%d", made);
            snprintf (g->r2[i][1], 24, "%d", repealed);
            snprintf (g->r2[i][2], 24, "%d", valid);
            g->r2_n[i] = 3;
        }
        snprintf (g->r2[2][0], 24, "%d", rng_pct (r, 20) ? 0 : rng_int (r, 3000));
        snprintf (g->r2[3][0], 24, "%d", rng_pct (r, 30) ? 0 : rng_int (r, 500));
        snprintf (g->r2[4][0], 24, "%d", rng_pct (r, 60) ? 0 : rng_int (r, 40));
        for (int i = 2; i < 5; i++)
            g->r2_n[i] = 1;
        if (rng_pct (r, 50))
            snprintf (g->r2[5][0], 24, "0");
        else
            snprintf (g->r2[5][0], 24, "%d.%02d", rng_int (r, 500), rng_int (r, 100));
        g->r2_n[5] = 1;
    }
    else {
        g->n_r2 = 8;
        for (int i = 0; i < 2; i++) {
            int made = rng_pct (r, 60) ? 0 : rng_int (r, 6);
            int pub = made;
            int total = pub + rng_int (r, 30);
            snprintf (g->r2[i][0], 24, "%d", made);
            snprintf (g->r2[i][1], 24, "%d", pub);
            snprintf (g->r2[i][2], 24, "%d", total);
            g->r2_n[i] = 3;
        }
        for (int i = 2; i < 6; i++) {
            snprintf (g->r2[i][0], 24, "%d", rng_int (r, 60));
            snprintf (g->r2[i][1], 24, "%d", rng_pct (r, 60) ? 0 : rng_int (r, 11) - 5);
            snprintf (g->r2[i][2], 24, "%d", rng_pct (r, 25) ? 0 : rng_int (r, 2000));
            g->r2_n[i] = 3;
        }
        snprintf (g->r2[6][0], 24, "%d", rng_int (r, 10));
        snprintf (g->r2[6][1], 24, "%d", rng_pct (r, 70) ? 0 : rng_int (r, 5) - 2);
        g->r2_n[6] = 2;
        int n = rng_int (r, 30);
        snprintf (g->r2[7][0], 24, "%d", n);
        if (n == 0)
            snprintf (g->r2[7][1], 24, "0");
        else
            snprintf (g->r2[7][1], 24, "%d.%d", rng_int (r, 900), rng_int (r, 10));
        g->r2_n[7] = 2;
    }
}

static void
draw_section3 (gen_report_t *g, gen_rng_t *r)
{
    /* Weights of the outcome rows R3_OPEN .. R3_OTHER+2 (2021 numbering). */
    static const int w2021[21] = { 40, 10, 1, 1, 1, 3, 2, 2, 1, 1, 12, 3, 2,
                                   3, 2, 1, 1, 1, 2, 1, 1 };
    memset (g->r3, 0, sizeof g->r3);
    g->n_r3 = r3_written_rows (g);
    int n_outcomes = g->edition == 2021 ? 21 : 19;
    for (int c = 0; c < 6; c++) {
        int fresh;
        if (c == 0)
            fresh = rng_pct (r, 15) ? 0 : rng_int (r, rng_pct (r, 20) ? 120 : 30);
        else if (c == 1)
            fresh = rng_pct (r, 50) ? 0 : rng_int (r, 10);
        else
            fresh = rng_pct (r, 85) ? 0 : 1 + rng_int (r, 3);
        int carry = rng_pct (r, 75) ? 0 : rng_int (r, 4);
        int avail = fresh + carry;
        int carry_over = 0;
        if (avail > 0 && rng_pct (r, 25))
            carry_over = rng_int (r, (avail < 4 ? avail : 4) + 1);
        int handled = avail - carry_over;
        g->r3[R3_NEW][c] = fresh;
        g->r3[R3_CARRY][c] = carry;
        for (int u = 0; u < handled; u++) {
            int k = rng_weighted (r, w2021, n_outcomes);
            g->r3[R3_OPEN + k][c]++;
        }
        /* 2019: the single （六） row is at R3_OTHER; （七） and 四 follow. */
        int total = 0;
        for (int k = 0; k < n_outcomes; k++)
            total += g->r3[R3_OPEN + k][c];
        g->r3[R3_OPEN + n_outcomes][c] = total;
        g->r3[R3_OPEN + n_outcomes + 1][c] = carry_over;
    }
    for (int row = 0; row < g->n_r3; row++) {
        int s = 0;
        for (int c = 0; c < 6; c++)
            s += g->r3[row][c];
        g->r3[row][6] = s;
    }
}

static void
draw_section4 (gen_report_t *g, gen_rng_t *r)
{
    for (int grp = 0; grp < 3; grp++) {
        int total = 0;
        bool any = rng_pct (r, grp == 0 ? 35 : 20);
        for (int k = 0; k < 4; k++) {
            int v = any && rng_pct (r, 40) ? 1 + rng_int (r, 2) : 0;
            g->r4[grp * 5 + k] = v;
            total += v;
        }
        g->r4[grp * 5 + 4] = total;
    }
}

static void
draw_narrative (gen_report_t *g, gen_rng_t *r)
{
    g->n_parts = 2 + rng_int (r, 3);
    int used[7] = { 0 };
    g->pub_total = 0;
    for (int i = 0; i < g->n_parts; i++) {
        int ch;
        do
            ch = rng_int (r, 7);
        while (used[ch]);
        used[ch] = 1;
        g->parts_ch[i] = ch;
        g->parts[i] = (i == 0 ? 20 : 1) + rng_int (r, i == 0 ? 400 : 150);
        g->pub_total += g->parts[i];
    }
    g->stated_received = g->r3[R3_NEW][6];
}

/*  ------------------------------------------------------------------ */
/*  Writing.                                                            */

void
gl_gen_row (gl_gen_buf_t *b, gl_gen_layout_t layout, int gap, size_t split_at,
            const char *label, const char *const *vals, size_t n)
{
    char lab[512];
    snprintf (lab, sizeof lab, "%s", label);
    const char *cells[48];
    size_t nc = 0;
    char *save = NULL;
    for (char *p = strtok_r (lab, "|", &save); p && nc < 16;
         p = strtok_r (NULL, "|", &save))
        cells[nc++] = p;
    for (size_t i = 0; i < n && nc < 48; i++)
        cells[nc++] = vals[i];
    switch (layout) {
    case GL_GEN_LAYOUT_CELLS:
    default:
        for (size_t i = 0; i < nc; i++) {
            size_t len = strlen (cells[i]);
            gl_gen_put (b, "\t");
            if (split_at && len > split_at) {
                /* Break in the middle, on a character boundary. */
                size_t half = len / 2;
                while (half < len && (cells[i][half] & 0xc0) == 0x80)
                    half++;
                gl_gen_putn (b, cells[i], half);
                gl_gen_put (b, "\n");
                gl_gen_put (b, cells[i] + half);
            }
            else
                gl_gen_put (b, cells[i]);
            gl_gen_put (b, "\n");
        }
        gl_gen_put (b, "\n");
        break;
    case GL_GEN_LAYOUT_TABS:
        for (size_t i = 0; i < nc; i++) {
            gl_gen_put (b, cells[i]);
            gl_gen_put (b, i + 1 < nc ? "\t" : "\n");
        }
        break;
    case GL_GEN_LAYOUT_PIPES:
        gl_gen_put (b, "|");
        for (size_t i = 0; i < nc; i++) {
            gl_gen_put (b, " ");
            gl_gen_put (b, cells[i]);
            gl_gen_put (b, " |");
        }
        gl_gen_put (b, "\n");
        break;
    case GL_GEN_LAYOUT_SPACES:
        for (size_t i = 0; i < nc; i++) {
            gl_gen_put (b, cells[i]);
            if (i + 1 < nc)
                gl_gen_putn (b, "        ", (size_t) (gap < 2 ? 2 : gap > 8 ? 8 : gap));
            else
                gl_gen_put (b, "\n");
        }
        break;
    }
}

/*  One row of the report being generated.                                 */
static void
put_row (gl_gen_buf_t *b, const gen_report_t *g, const char *label,
         const char *const *vals, size_t n)
{
    gl_gen_row (b, g->layout, g->space_gap, 0, label, vals, n);
}

static void
put_rule (gl_gen_buf_t *b, const gen_report_t *g)
{
    if (g->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (b, "| --- | --- |\n");
}

static void
put_heading (gl_gen_buf_t *b, const gen_report_t *g, const char *h)
{
    if (g->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (b, "## ");
    gl_gen_put (b, h);
    gl_gen_put (b, "\n\n");
}

static void
write_section1 (gl_gen_buf_t *b, const gen_report_t *g, gen_rng_t *r)
{
    int y = g->year;
    put_heading (b, g, "一、总体情况");
    buf_printf (b, "%d年，%s%s。报告中数据统计期限为%d年1月1日至%d年12月31日。\n",
                y, g->body, PICK (r, s_intro), y, y);
    if (g->image && g->image_para == 0)
        buf_printf (b, "[image: image%d.png]\n", 1 + rng_int (r, 9));
    buf_printf (b, "（一）主动公开。%d年主动公开政府信息合计%d条，其中", y,
                g->pub_total);
    for (int i = 0; i < g->n_parts; i++)
        buf_printf (b, "%s%s%d条", i ? "、" : "", s_channels[g->parts_ch[i]],
                    g->parts[i]);
    gl_gen_put (b, "。\n");
    if (g->image && g->image_para == 1)
        buf_printf (b, "[image: image%d.png]\n", 1 + rng_int (r, 9));
    buf_printf (b, "（二）依申请公开。%d年共收到政府信息公开申请%d件，上年结转%d件。"
                "其中予以公开%d件，部分公开%d件。\n",
                y, g->stated_received, g->r3[R3_CARRY][6], g->r3[R3_OPEN][6],
                g->r3[R3_PARTIAL][6]);
    buf_printf (b, "（三）政府信息管理。%s\n", PICK (r, s_manage));
    buf_printf (b, "（四）平台建设。%s\n", PICK (r, s_platform));
    int review = g->r4[4], suits = g->r4[9] + g->r4[14];
    if (review == 0 && suits == 0)
        buf_printf (b, "（五）监督保障。%s%d年未发生因政府信息公开引起的行政复议、行政诉讼。\n",
                    PICK (r, s_oversight), y);
    else
        buf_printf (b, "（五）监督保障。%s%d年本机关被申请行政复议%d件，被提起行政诉讼%d件。\n",
                    PICK (r, s_oversight), y, review, suits);
    gl_gen_put (b, "\n");
}

static void
write_section2 (gl_gen_buf_t *b, const gen_report_t *g)
{
    static const char *const labels19[8] = { "规章", "规范性文件", "行政许可",
                                             "其他对外管理服务事项", "行政处罚",
                                             "行政强制", "行政事业性收费",
                                             "政府集中采购" };
    static const char *const group19[8] = {
        "第二十条第（一）项", NULL, "第二十条第（五）项", NULL, "第二十条第（六）项",
        NULL, "第二十条第（八）项", "第二十条第（九）项"
    };
    static const char *const hdr19[8] = {
        "信息内容|本年新制作数量|本年新公开数量|对外公开总数量", NULL,
        "信息内容|上一年项目数量|本年增/减|处理决定数量", NULL,
        "信息内容|上一年项目数量|本年增/减|处理决定数量", NULL,
        "信息内容|上一年项目数量|本年增/减", "信息内容|采购项目数量|采购总金额"
    };
    bool e21 = g->edition == 2021;
    put_heading (b, g, "二、主动公开政府信息情况");
    for (int i = 0; i < g->n_r2; i++) {
        const char *grp = e21 ? gl_gen_r2_group_2021[i] : group19[i];
        if (grp) {
            put_row (b, g, grp, NULL, 0);
            put_rule (b, g);
            put_row (b, g, e21 ? gl_gen_r2_hdr_2021[i] : hdr19[i], NULL, 0);
        }
        const char *vals[4];
        for (int k = 0; k < g->r2_n[i]; k++)
            vals[k] = g->r2[i][k];
        put_row (b, g, e21 ? gl_gen_r2_label_2021[i] : labels19[i], vals, (size_t) g->r2_n[i]);
    }
    gl_gen_put (b, "\n");
}

static void
write_section3 (gl_gen_buf_t *b, const gen_report_t *g)
{
    put_heading (b, g, "三、收到和处理政府信息公开申请情况");
    put_row (b, g, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况",
             NULL, 0);
    put_rule (b, g);
    put_row (b, g, "自然人|法人或其他组织|总计", NULL, 0);
    put_row (b, g, "商业企业|科研机构|社会公益组织|法律服务机构|其他", NULL, 0);
    for (int row = 0; row < g->n_r3; row++) {
        const char *label;
        if (g->edition == 2021 || row < R3_OTHER)
            label = gl_gen_r3_label_2021[row];
        else if (row == R3_OTHER)
            label = "（六）其他处理";
        else
            label = gl_gen_r3_label_2021[row + 2];
        int row21 = g->edition == 2021 || row < R3_OTHER ? row
                    : row == R3_OTHER                        ? -1
                                                             : row + 2;
        if (g->label_reword >= 0 && s_rewords[g->label_reword].row == row21)
            label = s_rewords[g->label_reword].to;
        char bufs[7][16];
        const char *vals[7];
        for (int c = 0; c < 7; c++) {
            snprintf (bufs[c], sizeof bufs[c], "%d", g->r3[row][c]);
            vals[c] = bufs[c];
        }
        put_row (b, g, label, vals, 7);
    }
    gl_gen_put (b, "\n");
}

static void
write_section4 (gl_gen_buf_t *b, const gen_report_t *g)
{
    put_heading (b, g, "四、政府信息公开行政复议、行政诉讼情况");
    put_row (b, g, "行政复议|行政诉讼", NULL, 0);
    put_rule (b, g);
    put_row (b, g, "结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉",
             NULL, 0);
    put_row (b, g, "结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|"
                   "尚未审结|总计", NULL, 0);
    char bufs[15][16];
    const char *vals[15];
    size_t n = 0;
    for (int c = 0; c < 15; c++) {
        if (g->merged && c == 10) {
            /* The 复议后起诉 group is all zeros: three run together. */
            snprintf (bufs[n], sizeof bufs[n], "000");
            vals[n] = bufs[n];
            n++;
            c += 2;
            continue;
        }
        snprintf (bufs[n], sizeof bufs[n], "%d", g->r4[c]);
        vals[n] = bufs[n];
        n++;
    }
    put_row (b, g, "", vals, n);
    gl_gen_put (b, "\n");
}

static void
write_report (gl_gen_buf_t *b, const gen_report_t *g, gen_rng_t *r)
{
    if (g->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (b, "# ");
    buf_printf (b, "%s%d年%s政府信息公开工作年度报告\n\n", g->body, g->year,
                g->annual ? "度" : "");
    if (rng_pct (r, 50))
        buf_printf (b, "本报告由%s根据《中华人民共和国政府信息公开条例》编制。\n\n",
                    g->body);
    write_section1 (b, g, r);
    write_section2 (b, g);
    write_section3 (b, g);
    write_section4 (b, g);
    if (g->missing_section != 5) {
        put_heading (b, g, "五、存在的主要问题及改进情况");
        buf_printf (b, "%s%s\n\n", PICK (r, s_problems), PICK (r, s_improve));
    }
    if (g->missing_section != 6) {
        put_heading (b, g, "六、其他需要报告的事项");
        if (g->edition == 2021)
            buf_printf (b, "%s\n", PICK (r, s_other_2021));
        else
            buf_printf (b, "%s\n", PICK (r, s_other_2019));
    }
}

/*  ------------------------------------------------------------------ */
/*  Expectations.                                                       */

static void
expect_add (char list[][8], size_t *n, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp (list[i], code))
            return;
    if (*n < GL_GEN_MAX_CODES)
        snprintf (list[(*n)++], 8, "%s", code);
}

static const struct {
    unsigned bit;
    const char *code, *name;
} s_defects[GL_GEN_D_COUNT] = {
    { GL_GEN_D_ROW_TOTAL, "GID301", "row-total" },
    { GL_GEN_D_BALANCE, "GID303", "balance" },
    { GL_GEN_D_PROSE, "GID401", "prose" },
    { GL_GEN_D_MISSING_SECTION, "GID102", "missing-section" },
    { GL_GEN_D_LABEL, "GID204", "label" },
    { GL_GEN_D_MERGED, "GID207", "merged" },
    { GL_GEN_D_IMAGE, "GID501", "image" },
    { GL_GEN_D_EDITION, "GID201", "edition" },
};

const char *
gl_gen_defect_code (unsigned bit)
{
    for (int i = 0; i < GL_GEN_D_COUNT; i++)
        if (s_defects[i].bit == bit)
            return s_defects[i].code;
    return NULL;
}

unsigned
gl_gen_defect_parse (const char *name)
{
    for (int i = 0; i < GL_GEN_D_COUNT; i++)
        if (!strcasecmp (name, s_defects[i].code) || !strcmp (name, s_defects[i].name))
            return s_defects[i].bit;
    return 0;
}

static const char *const s_layout_names[GL_GEN_LAYOUT_COUNT] = {
    "any", "cells", "tabs", "pipes", "spaces"
};

const char *
gl_gen_layout_name (gl_gen_layout_t layout)
{
    return (unsigned) layout < GL_GEN_LAYOUT_COUNT ? s_layout_names[layout] : "?";
}

int
gl_gen_layout_parse (const char *name)
{
    for (int i = 0; i < GL_GEN_LAYOUT_COUNT; i++)
        if (!strcmp (name, s_layout_names[i]))
            return i;
    return -1;
}

/*  ------------------------------------------------------------------ */

char *
gl_gen_report (uint64_t seed, const gl_gen_opts_t *opts, size_t *len,
               gl_gen_expect_t *expect)
{
    static const gl_gen_opts_t none = { GL_GEN_LAYOUT_ANY, 0, 0 };
    if (!opts)
        opts = &none;
    gen_rng_t r = { seed ^ 0x6a09e667f3bcc909ull };
    (void) rng_next (&r);
    gen_report_t *g = calloc (1, sizeof *g);
    if (!g)
        return NULL;
    unsigned d = opts->defects;
    g->year = opts->year >= 2019 && opts->year <= 2024 ? opts->year
                                                       : 2019 + rng_int (&r, 6);
    g->edition = g->year <= 2020 ? 2019 : 2021;
    if (d & GL_GEN_D_EDITION)
        g->edition = g->edition == 2019 ? 2021 : 2019;
    g->layout = opts->layout > GL_GEN_LAYOUT_ANY && opts->layout < GL_GEN_LAYOUT_COUNT
                    ? opts->layout
                    : (gl_gen_layout_t) (1 + rng_int (&r, 4));
    if (d & GL_GEN_D_MERGED)
        g->layout = GL_GEN_LAYOUT_CELLS;
    g->space_gap = 2 + rng_int (&r, 5);
    g->annual = rng_pct (&r, 50);
    g->label_reword = -1;

    /* The issuing body. */
    const char *city = PICK (&r, s_cities);
    int kind = rng_int (&r, 10);
    if (kind < 2)
        snprintf (g->body, sizeof g->body, "%s%s街道办事处", city, PICK (&r, s_towns));
    else if (kind < 4)
        snprintf (g->body, sizeof g->body, "%s%s镇人民政府", city, PICK (&r, s_towns));
    else
        snprintf (g->body, sizeof g->body, "%s%s%s", city, PICK (&r, s_districts),
                  PICK (&r, s_offices));

    draw_section2 (g, &r);
    draw_section3 (g, &r);
    draw_section4 (g, &r);
    draw_narrative (g, &r);

    gl_gen_expect_t ex;
    memset (&ex, 0, sizeof ex);
    if (d & GL_GEN_D_ROW_TOTAL) {
        /* A 不予公开 / 无法提供 / 不予处理 item: not restated in prose. */
        int row = R3_DENIED + rng_int (&r, R3_OTHER - R3_DENIED);
        g->r3[row][6] += 1 + rng_int (&r, 2);
        expect_add (ex.codes, &ex.n_codes, "GID301");
        expect_add (ex.also, &ex.n_also, "GID302");
    }
    if (d & GL_GEN_D_BALANCE) {
        int row = g->n_r3 - 1, c = rng_int (&r, 6), k = 1 + rng_int (&r, 3);
        g->r3[row][c] += k;
        g->r3[row][6] += k;
        expect_add (ex.codes, &ex.n_codes, "GID303");
    }
    if (d & GL_GEN_D_PROSE) {
        g->stated_received += 1 + rng_int (&r, 5);
        expect_add (ex.codes, &ex.n_codes, "GID401");
    }
    if (d & GL_GEN_D_MISSING_SECTION) {
        g->missing_section = rng_pct (&r, 50) ? 5 : 6;
        expect_add (ex.codes, &ex.n_codes, "GID102");
    }
    if (d & GL_GEN_D_LABEL) {
        g->label_reword = rng_int (&r, (int) (sizeof s_rewords / sizeof s_rewords[0]));
        expect_add (ex.codes, &ex.n_codes, "GID204");
    }
    if (d & GL_GEN_D_MERGED) {
        for (int c = 10; c < 15; c++)
            g->r4[c] = 0;
        g->merged = true;
        expect_add (ex.codes, &ex.n_codes, "GID207");
    }
    if (d & GL_GEN_D_IMAGE) {
        g->image = true;
        g->image_para = rng_int (&r, 2);
        expect_add (ex.codes, &ex.n_codes, "GID501");
    }
    if (d & GL_GEN_D_EDITION)
        expect_add (ex.codes, &ex.n_codes, "GID201");

    gl_gen_buf_t b = { 0 };
    write_report (&b, g, &r);
    ex.layout = g->layout;
    ex.year = g->year;
    ex.edition = g->edition;
    free (g);
    if (b.oom) {
        free (b.s);
        return NULL;
    }
    if (len)
        *len = b.n;
    if (expect)
        *expect = ex;
    return b.s;
}
