#ifndef SHIDO_CLIBPQ_SHIM_H
#define SHIDO_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
