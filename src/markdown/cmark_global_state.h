// Makes cmark-gfm 0.29.0.gfm.6 safe to parse with from many threads at once:
// its extension registry and its inline trigger-character table are globals.
#pragma once

namespace byline {

// Registers the core extensions (table, strikethrough, autolink, tagfilter,
// tasklist) exactly once; cmark's own guard is a plain, racy flag.
void ensure_cmark_extensions_registered();

// cmark-gfm adds each attached extension's trigger characters ('~', '|', ':',
// 'w') to a global table when a parse enters its inline phase and removes them
// when it leaves, so one thread finishing a parse blinds another, mid-parse,
// to strikethrough and autolinks (github/cmark-gfm PR #176). byline
// interposes cmark_manage_extensions_special_characters, which libcmark-gfm
// calls through its PLT, and removes the characters only when no parse is in
// its inline phase. Returns true once cmark-gfm has called the interposed
// function, i.e. once the guard is known to be in effect; until then callers
// serialise the inline phase themselves.
bool cmark_special_chars_guarded();

}  // namespace byline
