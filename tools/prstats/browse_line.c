/*
 * browse_line.c - the browser's input: GNU readline on a terminal when
 * prstats is built with it (line editing, history, completion); else
 * plain lines, with a prompt on a terminal only.
 */
#include "prstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CPROF_HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "cprof-read/sort.h"
#include "cprof-read/util.h"

static const char prompt[] = "prstats% ";
static int tty;

/* The next line of stdin without its newline; NULL at the end. */
static char *plain_line(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len = getline(&line, &cap, stdin);

  if (len < 0) {
    free(line);
    return NULL;
  }
  if (len > 0 && line[len - 1] == '\n')
    line[len - 1] = '\0';
  return line;
}

#ifdef CPROF_HAVE_READLINE
typedef const char *word_fn(size_t i);
static word_fn *command_word, *function_word, *words; /* words: the list
                                                        completing now */

static char *complete_word(const char *text, int state) {
  static size_t i;
  const char *word;

  if (state == 0)
    i = 0;
  for (;;) {
    word = words(i++);
    if (!word || strncmp(word, text, strlen(text)) == 0)
      return word ? xstrdup(word) : NULL;
  }
}

/* The line's first word starts `what `. */
static int after(const char *what) {
  size_t n = strlen(what);
  return strncmp(rl_line_buffer, what, n) == 0 && rl_line_buffer[n] == ' ';
}

/* Commands first, then sort keys after "sort", functions after "lines",
 * else file names (readline's own). */
static char **complete(const char *text, int start, int end) {
  (void)end;
  words = start == 0       ? command_word
          : after("sort")  ? sort_word
          : after("lines") ? function_word
                           : NULL;
  if (!words)
    return NULL;
  rl_attempted_completion_over = 1; /* no file names here */
  return rl_completion_matches(text, complete_word);
}

void line_open(int is_tty, const char *(*command)(size_t i),
               const char *(*function)(size_t i)) {
  tty = is_tty;
  command_word = command;
  function_word = function;
  rl_readline_name = "prstats";
  rl_attempted_completion_function = complete;
}

char *line_next(void) {
  char *line;

  if (!tty)
    return plain_line();
  line = readline(prompt);
  if (line && *line)
    add_history(line);
  return line;
}
#else
void line_open(int is_tty, const char *(*command)(size_t i),
               const char *(*function)(size_t i)) {
  (void)command, (void)function; /* nothing to complete with */
  tty = is_tty;
  if (tty)
    puts("(no line editing: this prstats was built without GNU readline; "
         "install libreadline-dev and rebuild)");
}

char *line_next(void) {
  if (tty) {
    fputs(prompt, stdout);
    fflush(stdout);
  }
  return plain_line();
}
#endif
