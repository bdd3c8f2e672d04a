/*  registry.c: the rule table, generated from rules.def.  */
#include "gl_internal.h"

#include <string.h>
#include <strings.h>

static const gl_rule_t *const s_rules[] = {
#define GL_RULE(id) &gl_rule_##id,
#include "rules.def"
#undef GL_RULE
};

size_t
gl_rules_count (void)
{
    return sizeof s_rules / sizeof s_rules[0];
}

const gl_rule_t *
gl_rule_at (size_t i)
{
    return i < gl_rules_count () ? s_rules[i] : NULL;
}

const gl_rule_t *
gl_rule_find (const char *code_or_name)
{
    if (!code_or_name)
        return NULL;
    for (size_t i = 0; i < gl_rules_count (); i++)
        if (strcasecmp (s_rules[i]->code, code_or_name) == 0
            || strcmp (s_rules[i]->name, code_or_name) == 0)
            return s_rules[i];
    return NULL;
}
