#ifndef SHIDO_CWIDECHAR_H
#define SHIDO_CWIDECHAR_H

/* The terminal width of one Unicode scalar in the C.UTF-8 locale, as glibc's wcwidth
 * reports it (-1 for non-printable), without changing the process's locale. */
int shido_scalar_width(unsigned int scalar);

#endif
