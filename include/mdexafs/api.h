/* How the public headers mark what libmdexafs exports: MDX_API on each
 * function of the API (the library hides everything else), and C linkage
 * for C++ callers. */
#ifndef MDEXAFS_API_H
#define MDEXAFS_API_H

#if defined(__GNUC__)
#define MDX_API __attribute__((visibility("default")))
#else
#define MDX_API
#endif

#ifdef __cplusplus
#define MDX_BEGIN_DECLS extern "C" {
#define MDX_END_DECLS }
#else
#define MDX_BEGIN_DECLS
#define MDX_END_DECLS
#endif

#endif
