/* Last script of a topic page: every cell has arrived, reveal them (datalk.js waits for the theme). */
window.voila_finish();
