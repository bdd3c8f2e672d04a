/*  gl_settings.h: the configuration machinery gidlintd and gidlint-broker
 *  share, and their logging.
 *
 *  A program describes itself with a gl_program_t: its name, its table of
 *  settings (each "section.key" with a type and the offset of its field in
 *  the program's own configuration struct), its defaults, its checks, and
 *  the text of its --help.  From that one table come the INI file (read
 *  with libinih), the long options (--key with '-' for '_', or
 *  --section-key where two sections share a key), the --help listing and
 *  --print-config.
 *  Settings come, in increasing precedence, from the defaults, the file
 *  named by --config and the command line; a reload (SIGHUP) resolves them
 *  again the same way, so a flag always wins.
 *
 *  What a table cannot say (gidlintd's [rules], whose keys are rule codes)
 *  a program handles in its hooks: set_hook sees every setting first,
 *  GL_SET_CUSTOM entries are parsed and printed by the program.
 */
#ifndef GL_SETTINGS_H_INCLUDED
#define GL_SETTINGS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { GL_LOG_ERROR = 0, GL_LOG_WARN, GL_LOG_INFO, GL_LOG_DEBUG } gl_log_level_t;

typedef enum {
    GL_SET_STR,                 /* char[size]                               */
    GL_SET_INT,                 /* int, a count 0 to 1000000                */
    GL_SET_SIZE,                /* size_t, bytes 1 to 4 GiB                 */
    GL_SET_SECONDS,             /* double, 0 to 86400                       */
    GL_SET_RATE,                /* double, 0 to 1e7 a second                */
    GL_SET_LEVEL,               /* gl_log_level_t                           */
    GL_SET_BOOL,                /* bool: on/off, true/false, yes/no, 1/0    */
    GL_SET_CUSTOM               /* the program's set_custom/print_custom    */
} gl_setting_type_t;

typedef struct {
    const char *section;
    const char *key;
    gl_setting_type_t type;
    size_t offset;              /* of the field in the program's struct     */
    size_t size;                /* of the field                             */
    const char *help;
    bool restart;               /* GL_RESTART: read at start only, a reload
                                   keeps the running value (gl_settings_keep);
                                   GL_LIVE: a reload applies it            */
} gl_setting_t;

#define GL_RESTART true
#define GL_LIVE false

/*  The offset and size of member m of struct type T, for a table entry.   */
#define GL_FIELD(T, m) offsetof (T, m), sizeof (((T *) 0)->m)

/*  Settings from the command line, applied after the file (pointers into
 *  argv, which outlives them).                                             */
typedef struct {
    size_t n;
    struct {
        const char *section, *key, *value;
    } set[64];
} gl_flags_t;

typedef struct {
    const char *name;           /* "gidlintd": usage, --version, messages   */
    const gl_setting_t *settings;
    size_t n_settings;
    size_t config_file_offset;  /* a char[] field: the --config path       */
    size_t config_file_size;
    /* --help: the line after "usage: NAME [--config FILE] [--SETTING
     * VALUE]...", its description paragraph, and the closing paragraph
     * (signals).                                                           */
    const char *usage_extra;
    const char *description;
    const char *epilogue;
    /* One optional option "--NAME KEY=VALUE" meaning "[section] KEY =
     * VALUE" (gidlintd's --severity CODE=LEVEL); NULL: none.               */
    const char *pair_option, *pair_arg, *pair_section, *pair_help;
    /* Fills cfg with the defaults (the struct is zeroed first).           */
    void (*defaults) (void *cfg);
    /* Sees every setting first: returns 1 to leave it to the table, 0 when
     * it took it, -1 with err set.  NULL: none.                            */
    int (*set_hook) (void *cfg, const char *section, const char *key,
                     const char *value, char *err, size_t err_len);
    /* GL_SET_CUSTOM entries.  NULL when the table has none.               */
    int (*set_custom) (void *cfg, const gl_setting_t *st, const char *value,
                       char *err, size_t err_len);
    void (*print_custom) (const void *cfg, const gl_setting_t *st, FILE *out);
    /* Checks across settings, after the file and the flags.  NULL: none.  */
    int (*check) (const void *cfg, char *err, size_t err_len);
} gl_program_t;

/*  Applies one setting "section.key = value" (the file and the command
 *  line share this).  Returns 0, or -1 with a message in err.              */
int gl_settings_set (const gl_program_t *p, void *cfg, const char *section,
                     const char *key, const char *value, char *err,
                     size_t err_len);

/*  Reads an INI file into cfg (over what is there).  Returns 0, or -1 with
 *  a message in err naming the file, line and setting.                     */
int gl_settings_load (const gl_program_t *p, void *cfg, const char *path,
                      char *err, size_t err_len);

/*  Defaults, then the file cfg names (if any), then the flags, then the
 *  program's checks.                                                       */
int gl_settings_resolve (const gl_program_t *p, void *cfg,
                         const gl_flags_t *flags, char *err, size_t err_len);

/*  Parses the command line into flags and the config file path, then
 *  resolves cfg.  Returns 0 to run, 1 when --help, --version or
 *  --print-config was printed, -1 on a usage or configuration error
 *  (message printed to stderr).                                            */
int gl_settings_parse_args (const gl_program_t *p, int argc, char **argv,
                            void *cfg, gl_flags_t *flags);

/*  For a reload: copies into cfg, from running, every setting marked
 *  GL_RESTART, so that only what can change while the program runs does.
 *  Returns how many of them cfg had changed, naming them ("section.key,
 *  …") in changed.                                                         */
size_t gl_settings_keep (const gl_program_t *p, void *cfg, const void *running,
                         char *changed, size_t changed_len);

/*  Writes the configuration as INI (for --print-config).                   */
void gl_settings_print (const gl_program_t *p, const void *cfg, FILE *out);

/*  Writes a message into err (printf style) and returns -1: the programs'
 *  way of failing with a reason.                                           */
int gl_errf (char *err, size_t err_len, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/*  Logging: one line per event on stderr, "TIME LEVEL message".            */
void gl_log (gl_log_level_t level, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
void gl_log_set_level (gl_log_level_t level);

#endif
