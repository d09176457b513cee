/* mdexafs: EXAFS chi(k) of FEFF scattering paths from molecular-dynamics
 * snapshots, computed as xraylarch does, stored in SQLite, selected and
 * averaged. The one header a C program needs:
 *
 *     #include <mdexafs/mdexafs.h>     cc prog.c $(pkg-config --cflags --libs mdexafs)
 *
 * Every fallible function returns an mdx_status and fills an mdx_error
 * (error.h). The entry points, by header:
 *   md.h      read an MD trajectory (mdx_trajectory_open), cut the cluster
 *             around an absorber (mdx_cluster_build), write its feff.inp
 *             (mdx_feff_input)
 *   run.h     run FEFF in every folder of a tree, resumably (mdx_feff_run)
 *   feff.h    read a feffNNNN.dat (mdx_feff_parse_file) or a feff.bin
 *             (mdx_feffbin_read), write a path back (mdx_feff_write)
 *   chi.h     chi(k) of one path as xraylarch (mdx_chi), chi(R) (mdx_xftf)
 *   build.h   build a database from a FEFF tree (mdx_build), its freshness
 *             (mdx_check_freshness), integrity (mdx_check), shards (mdx_merge)
 *   source.h  open a database or a tree (mdx_source_open), or let the
 *             library choose (mdx_source_choose); selections (mdx_selection)
 *   query.h   ask a source: averages (mdx_query_new, mdx_query_average),
 *             sums, path lists, type shares; running means (mdx_average)
 *   output.h  write chi files (mdx_write_chi...), read them (mdx_columns_parse)
 *   stats.h   ensemble statistics: moments, histograms, distances
 *   fit.h     feffit's fit of a model to data (mdx_fit)
 *   plot.h    PLplot figures (mdx_plot_page) */
#ifndef MDEXAFS_H
#define MDEXAFS_H

#include "mdexafs/version.h"
#include "mdexafs/error.h"
#include "mdexafs/md.h"
#include "mdexafs/feff.h"
#include "mdexafs/run.h"
#include "mdexafs/chi.h"
#include "mdexafs/source.h"
#include "mdexafs/query.h"
#include "mdexafs/output.h"
#include "mdexafs/plot.h"
#include "mdexafs/build.h"
#include "mdexafs/fit.h"
#include "mdexafs/reweight.h"
#include "mdexafs/lcf.h"
#include "mdexafs/stats.h"

#endif
