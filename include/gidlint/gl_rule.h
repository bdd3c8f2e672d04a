/*  gl_rule.h: the rule catalogue.
 *
 *  Every rule is one self-describing, constant descriptor: stable code,
 *  kebab-case name, default severity, documentation in Chinese and English,
 *  an example, and the check itself.  The registry lists them in code order.
 */
#ifndef GIDLINT_RULE_H_INCLUDED
#define GIDLINT_RULE_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gl_emit gl_emit_t;

/*  A check reads the document and reports through gl_emit() (engine
 *  internal).  It has no I/O, no globals and no side effect but emitting.  */
typedef void gl_check_fn (const gl_doc_t *doc, gl_emit_t *out);

struct gl_rule {
    const char *code;           /* "GID301"                                   */
    const char *name;           /* "row-total"                                */
    gl_severity_t severity;     /* default severity                           */
    const char *summary_zh;     /* one line                                   */
    const char *summary_en;
    const char *doc_zh;         /* one paragraph: what, why, how to fix       */
    const char *doc_en;
    const char *example;        /* a snippet that triggers the rule           */
    gl_check_fn *check;
};

/*  Number of rules, and the rule at index i (code order).                  */
size_t gl_rules_count (void);
const gl_rule_t *gl_rule_at (size_t i);
/*  Finds a rule by code ("GID301", case-insensitive) or name ("row-total"). */
const gl_rule_t *gl_rule_find (const char *code_or_name);

#ifdef __cplusplus
}
#endif
#endif
