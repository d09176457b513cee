/* mdexafs: EXAFS chi(k) of FEFF scattering paths from molecular-dynamics
 * snapshots, computed as xraylarch does, stored in SQLite, selected and
 * averaged. The one header a C program needs:
 *
 *     #include <mdexafs/mdexafs.h>     cc prog.c $(pkg-config --cflags --libs mdexafs)
 *
 * Every fallible function returns an mdx_status and fills an mdx_error
 * (error.h); see source.h to open a database or a FEFF tree, select.h to
 * choose paths, average.h to average them and output.h to write files. */
#ifndef MDEXAFS_H
#define MDEXAFS_H

#include "mdexafs/version.h"
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/feffbin.h"
#include "mdexafs/chi.h"
#include "mdexafs/select.h"
#include "mdexafs/source.h"
#include "mdexafs/average.h"
#include "mdexafs/query.h"
#include "mdexafs/output.h"
#include "mdexafs/columns.h"
#include "mdexafs/xft.h"
#include "mdexafs/plot.h"
#include "mdexafs/build.h"
#include "mdexafs/check.h"
#include "mdexafs/merge.h"
#include "mdexafs/fit.h"
#include "mdexafs/stats.h"

#endif
