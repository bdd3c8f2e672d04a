/*  gl_engine.h: configuring the engine and linting a document.
 *
 *      gl_engine_t *engine = gl_engine_new ();
 *      gl_engine_disable (engine, "GID501");
 *      gl_doc_t *doc = NULL;
 *      if (gl_engine_lint (engine, bytes, len, GL_LANG_ZH, &doc) == GL_OK) {
 *          size_t n;
 *          const gl_diag_t *d = gl_doc_diags (doc, &n);
 *          ...
 *          gl_doc_destroy (&doc);
 *      }
 *      gl_engine_destroy (&engine);
 *
 *  Configure first, then lint: gl_engine_lint() takes a const engine, and
 *  any number of threads may call it at once.
 */
#ifndef GIDLINT_ENGINE_H_INCLUDED
#define GIDLINT_ENGINE_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

/*  Default largest document accepted (GID003 beyond it).                   */
#define GL_DEFAULT_MAX_BYTES (16u * 1024u * 1024u)

/*  Creates an engine with every rule at its default severity.  Returns
 *  NULL when out of memory.  Caller owns it; free with gl_engine_destroy(). */
gl_engine_t *gl_engine_new (void);
/*  NULL-safe; sets *engine_p to NULL.                                      */
void gl_engine_destroy (gl_engine_t **engine_p);
/*  Deep copy (for reloading configuration while the old one is in use).    */
gl_engine_t *gl_engine_dup (const gl_engine_t *engine);

/*  Turns a rule off by code or name.  GL_ENOENT for an unknown rule.       */
gl_err_t gl_engine_disable (gl_engine_t *engine, const char *code_or_name);
/*  Sets a rule's severity (GL_SEV_OFF disables it).                        */
gl_err_t gl_engine_set_severity (gl_engine_t *engine, const char *code_or_name,
                                 gl_severity_t sev);
/*  The severity a rule will be reported at (GL_SEV_OFF if disabled).       */
gl_severity_t gl_engine_severity (const gl_engine_t *engine,
                                  const gl_rule_t *rule);
/*  Largest input accepted; larger ones get GID003 and are not parsed.      */
void gl_engine_set_max_bytes (gl_engine_t *engine, size_t max_bytes);

/*  Lints len bytes (UTF-8 with or without BOM, or GB18030).  On GL_OK,
 *  *doc_p receives a new document that the caller owns (gl_doc_destroy()).
 *  A bad document is not an error: it gets diagnostics (GID001 …).
 *  Returns GL_ENOMEM when memory ran out, GL_EINVAL for NULL arguments.    */
gl_err_t gl_engine_lint (const gl_engine_t *engine, const void *bytes,
                         size_t len, gl_lang_t lang, gl_doc_t **doc_p);

#ifdef __cplusplus
}
#endif
#endif
