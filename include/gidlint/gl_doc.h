/*  gl_doc.h: the document model, read-only.
 *
 *  A gl_doc_t is what the parser understood of one report: title, issuing
 *  body, year, format edition, the six sections, the three statistical
 *  tables and the narrative paragraphs.  Later stages (the daemon, an HTML
 *  view, a history store) read it through these accessors instead of parsing
 *  again.  Everything returned is owned by the document.
 *
 *  Invariants (checked by gl_doc_check() in debug builds and by the fuzzer):
 *   (1) every span lies inside the normalised text; except that when the
 *       input could not be decoded (GL_DOC_BAD_ENCODING, GL_DOC_TOO_LARGE)
 *       there is no text, and diagnostic spans are input byte offsets;
 *   (2) sections that are present do not overlap and are listed in source
 *       order by gl_doc_section_order();
 *   (3) a cell's span lies inside its row's span; a row's inside its table's;
 *   (4) every cell keeps its source text, and a cell of kind GL_CELL_INT or
 *       GL_CELL_DEC has a value parsed from that text.
 */
#ifndef GIDLINT_DOC_H_INCLUDED
#define GIDLINT_DOC_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

/*  Why the document could or could not be parsed.                          */
typedef enum {
    GL_DOC_OK = 0,
    GL_DOC_BAD_ENCODING,        /* GID001: neither UTF-8 nor GB18030          */
    GL_DOC_EMPTY,               /* GID002: nothing but white space            */
    GL_DOC_TOO_LARGE,           /* GID003: over the configured size limit     */
    GL_DOC_NOT_REPORT           /* GID005: no trace of the report structure   */
} gl_doc_status_t;

typedef enum {
    GL_ENC_UTF8 = 0,
    GL_ENC_UTF8_BOM,
    GL_ENC_GB18030,
    GL_ENC_INVALID
} gl_encoding_t;

/*  The six sections.  GL_SEC_NONE is "before the first section" (title).    */
typedef enum {
    GL_SEC_NONE = 0,
    GL_SEC_1 = 1,               /* 一、总体情况                               */
    GL_SEC_2,                   /* 二、主动公开政府信息情况                   */
    GL_SEC_3,                   /* 三、收到和处理政府信息公开申请情况         */
    GL_SEC_4,                   /* 四、政府信息公开行政复议、行政诉讼情况     */
    GL_SEC_5,                   /* 五、存在的主要问题及改进情况               */
    GL_SEC_6,                   /* 六、其他需要报告的事项                     */
    GL_SEC_COUNT = 7
} gl_section_id_t;

/*  Canonical rows of the three tables.  A row id names one row of the
 *  format, whichever edition; gl_row_info() says which editions have it.    */
typedef enum {
    GL_ROW_UNKNOWN = -1,
    /* Section 二 */
    GL_R2_REGULATION = 0,       /* 规章                                       */
    GL_R2_NORMATIVE,            /* 行政规范性文件 (2019: 规范性文件)          */
    GL_R2_LICENSING,            /* 行政许可                                   */
    GL_R2_OTHER_SERVICE,        /* 其他对外管理服务事项 (2019 only)           */
    GL_R2_PENALTY,              /* 行政处罚                                   */
    GL_R2_COERCION,             /* 行政强制                                   */
    GL_R2_FEE,                  /* 行政事业性收费                             */
    GL_R2_PROCUREMENT,          /* 政府集中采购 (2019 only)                   */
    /* Section 三 */
    GL_R3_NEW,                  /* 一、本年新收政府信息公开申请数量           */
    GL_R3_CARRIED,              /* 二、上年结转政府信息公开申请数量           */
    GL_R3_GRANTED,              /* （一）予以公开                             */
    GL_R3_PARTIAL,              /* （二）部分公开                             */
    GL_R3_DENIED_1,             /* （三）不予公开 1.属于国家秘密              */
    GL_R3_DENIED_2,
    GL_R3_DENIED_3,
    GL_R3_DENIED_4,
    GL_R3_DENIED_5,
    GL_R3_DENIED_6,
    GL_R3_DENIED_7,
    GL_R3_DENIED_8,             /*   8.属于行政查询事项                       */
    GL_R3_UNABLE_1,             /* （四）无法提供 1.本机关不掌握相关政府信息  */
    GL_R3_UNABLE_2,
    GL_R3_UNABLE_3,
    GL_R3_NOT_HANDLED_1,        /* （五）不予处理 1.信访举报投诉类申请        */
    GL_R3_NOT_HANDLED_2,
    GL_R3_NOT_HANDLED_3,
    GL_R3_NOT_HANDLED_4,
    GL_R3_NOT_HANDLED_5,
    GL_R3_OTHER,                /* （六）其他处理, one row (2019 only)        */
    GL_R3_OTHER_1,              /* （六）1. (2021 only)                       */
    GL_R3_OTHER_2,
    GL_R3_OTHER_3,
    GL_R3_TOTAL,                /* （七）总计                                 */
    GL_R3_CARRY_OVER,           /* 四、结转下年度继续办理                     */
    /* Section 四 */
    GL_R4_ALL,                  /* the one row of fifteen values              */
    GL_ROW_COUNT
} gl_row_id_t;

/*  Section 三 columns (0-based).                                            */
enum {
    GL_C3_PERSON = 0, GL_C3_BUSINESS, GL_C3_RESEARCH, GL_C3_NGO,
    GL_C3_LEGAL, GL_C3_OTHER_ORG, GL_C3_TOTAL, GL_C3_COUNT
};

/*  Section 四 columns (0-based): three groups of five.                      */
enum {
    GL_C4_GROUP = 5,            /* columns per group                          */
    GL_C4_REVIEW = 0,           /* 行政复议 group starts at column 0          */
    GL_C4_SUIT_DIRECT = 5,      /* 行政诉讼 未经复议直接起诉                 */
    GL_C4_SUIT_AFTER = 10,      /* 行政诉讼 复议后起诉                       */
    GL_C4_KEEP = 0, GL_C4_CORRECT, GL_C4_OTHER, GL_C4_PENDING, GL_C4_TOTAL,
    GL_C4_COUNT = 15
};

/*  Static facts about a canonical row.                                      */
typedef struct {
    gl_row_id_t id;
    gl_section_id_t section;
    const char *label;          /* the 2021 wording, e.g. "（一）予以公开"    */
    const char *label_2019;     /* the 2019 wording where it differs, or NULL */
    const char *short_en;       /* English name, e.g. "granted"               */
    unsigned editions;          /* bit 0: 2019 edition, bit 1: 2021 edition   */
} gl_row_info_t;

/*  Returns the static facts of row id, or NULL for an unknown id.           */
const gl_row_info_t *gl_row_info (gl_row_id_t id);
/*  Number of value columns of row id in the given edition (0 when the row
 *  does not exist in that edition).                                         */
size_t gl_row_columns (gl_row_id_t id, gl_edition_t edition);
/*  Label of column col of row id in the given edition ("总计", "结果维持" …),
 *  or NULL.  English with lang GL_LANG_EN.                                  */
const char *gl_column_label (gl_row_id_t id, gl_edition_t edition, size_t col,
                             gl_lang_t lang);
/*  The canonical section title, e.g. "总体情况" (or English).               */
const char *gl_section_title (gl_section_id_t id, gl_lang_t lang);
/*  The Chinese numeral of a section, e.g. "三".                             */
const char *gl_section_numeral (gl_section_id_t id);

typedef enum {
    GL_CELL_INT = 0,            /* a whole number (may be negative)           */
    GL_CELL_DEC,                /* a number with decimals (amounts)           */
    GL_CELL_BAD                 /* not a number: "-", "无", "1.2.3" …         */
} gl_cell_kind_t;

typedef struct {
    gl_span_t span;
    const char *text;           /* the cell as found (normalised), NUL-ended  */
    gl_cell_kind_t kind;
    int64_t ival;               /* value when kind == GL_CELL_INT             */
    double dval;                /* value when kind is INT or DEC              */
    bool merged;                /* split out of a run-together token (GID207) */
    bool grouped;               /* written with thousands separators          */
} gl_cell_t;

typedef struct {
    gl_row_id_t id;             /* GL_ROW_UNKNOWN when no row of the format   */
    const char *label;          /* label as found (normalised), NUL-ended     */
    gl_span_t label_span;
    bool label_exact;           /* wording equals the format's (GID204)       */
    const gl_cell_t *cells;
    size_t n_cells;             /* values found                               */
    size_t n_expected;          /* values the format has in this row          */
    size_t n_merged_tokens;     /* tokens split by inference (GID207)         */
    const gl_span_t *merged_spans; /* the n_merged_tokens tokens              */
    gl_span_t span;             /* label through last value                   */
} gl_row_t;

/*  Values of a row are usable for arithmetic only when the count is right.  */
#define GL_ROW_COMPLETE(r) ((r)->n_cells == (r)->n_expected && (r)->n_expected)

typedef struct {
    gl_span_t span;
    const char *text;
} gl_header_t;

typedef struct {
    gl_section_id_t section;    /* GL_SEC_2, GL_SEC_3 or GL_SEC_4             */
    gl_span_t span;
    const gl_row_t *rows;       /* in source order                            */
    size_t n_rows;
    const gl_header_t *headers; /* header cells (column labels), source order */
    size_t n_headers;
} gl_table_t;

typedef struct {
    gl_section_id_t id;
    bool present;
    gl_span_t heading;          /* the heading line (without markup)          */
    gl_span_t body;             /* from after the heading to the next one     */
    const char *heading_text;   /* heading as found, NUL-ended                */
    bool title_exact;           /* wording equals the format's (GID105)       */
    bool numeral_ok;            /* the numeral before the title is right      */
    unsigned occurrences;       /* headings found for this section (GID104)   */
    gl_span_t second;           /* the second heading when occurrences > 1    */
} gl_section_t;

typedef struct {
    gl_section_id_t section;
    gl_span_t span;
    const char *text;           /* one line of narrative, normalised          */
} gl_para_t;

/*  ---------------------------------------------------------------------
 *  Accessors.  All return pointers owned by doc.                          */

gl_doc_status_t gl_doc_status (const gl_doc_t *doc);
gl_encoding_t gl_doc_encoding (const gl_doc_t *doc);
/*  For GL_DOC_BAD_ENCODING: the first input byte that could not be read.   */
uint64_t gl_doc_bad_byte (const gl_doc_t *doc);
/*  The input size in bytes, and the limit in force when it was linted.     */
uint64_t gl_doc_input_size (const gl_doc_t *doc);
uint64_t gl_doc_size_limit (const gl_doc_t *doc);

/*  The normalised text (UTF-8, LF line ends, full-width forms folded).     */
const char *gl_doc_text (const gl_doc_t *doc, size_t *len);
/*  Resolve a span to line/column and original byte offsets.                */
void gl_doc_pos (const gl_doc_t *doc, gl_span_t span, gl_pos_t *pos);
/*  The section a byte offset of the normalised text falls in.              */
gl_section_id_t gl_doc_section_at (const gl_doc_t *doc, uint32_t offset);

/*  The title line, or NULL (GID101).  *span receives its span if non-NULL. */
const char *gl_doc_title (const gl_doc_t *doc, gl_span_t *span);
/*  The issuing body named in the title, or NULL.                            */
const char *gl_doc_body (const gl_doc_t *doc);
/*  The report year (0 if unknown) and where it was found.                  */
int gl_doc_year (const gl_doc_t *doc);
int gl_doc_title_year (const gl_doc_t *doc);
gl_edition_t gl_doc_edition (const gl_doc_t *doc);
/*  Evidence the edition was inferred from: labels typical of each.         */
unsigned gl_doc_edition_votes (const gl_doc_t *doc, gl_edition_t edition);

const gl_section_t *gl_doc_section (const gl_doc_t *doc, gl_section_id_t id);
/*  Sections in the order they appear; returns how many are present.        */
size_t gl_doc_section_order (const gl_doc_t *doc,
                             gl_section_id_t order[GL_SEC_COUNT]);

/*  The table of section 二, 三 or 四, or NULL when none was recognised.     */
const gl_table_t *gl_doc_table (const gl_doc_t *doc, gl_section_id_t section);
/*  The first row of the table with canonical id, or NULL.                  */
const gl_row_t *gl_doc_row (const gl_doc_t *doc, gl_row_id_t id);

/*  Narrative lines (sections 一, 五, 六, and text outside tables).          */
const gl_para_t *gl_doc_paras (const gl_doc_t *doc, size_t *n);

/*  Bytes of memory the document holds (its arena and the handle), for
 *  capacity planning and for tests that memory stays linear in the input. */
size_t gl_doc_memory (const gl_doc_t *doc);

/*  Checks the invariants above; returns true when they hold.               */
bool gl_doc_check (const gl_doc_t *doc);

/*  Frees the document and everything it owns; sets *doc_p to NULL.        */
void gl_doc_destroy (gl_doc_t **doc_p);

#ifdef __cplusplus
}
#endif
#endif
