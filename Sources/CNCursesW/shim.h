// ncursesw with the wide-character API, for Swift.
// SwiftPM drops the .pc file's -D_XOPEN_SOURCE=600, which curses.h needs to declare get_wch,
// add_wch and cchar_t: define NCURSES_WIDECHAR ourselves. Macros and C globals that Swift cannot
// import (or that Swift 6 refuses as shared mutable state) get small inline accessors.
#ifndef CONNECT_TUI_NCURSES_SHIM_H
#define CONNECT_TUI_NCURSES_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *ct_stdscr(void) { return stdscr; }
static inline WINDOW *ct_curscr(void) { return curscr; }
static inline int ct_colors(void) { return COLORS; }
static inline int ct_color_pairs(void) { return COLOR_PAIRS; }
static inline int ct_lines(void) { return LINES; }
static inline int ct_cols(void) { return COLS; }
static inline attr_t ct_a_normal(void) { return A_NORMAL; }
static inline attr_t ct_a_bold(void) { return A_BOLD; }
static inline attr_t ct_a_dim(void) { return A_DIM; }
static inline attr_t ct_a_italic(void) { return A_ITALIC; }
static inline attr_t ct_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ct_a_reverse(void) { return A_REVERSE; }

/// Whether the terminal can move the cursor anywhere (terminfo's `cup`): `dumb` and printing terminals cannot.
static inline int ct_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// Draws one grapheme (up to 5 code points) with attributes and a colour pair at (y, x).
static inline int ct_put(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}
#endif
