# The installed static library: libmdexafs's objects joined into one, with
# only the public API left global and no internal name left at all, as the
# shared library shows them (the build's own static library keeps every
# name, for the project's programs and tests).
#
#   cmake -DOBJECTS="a.o|b.o|..." -DOUT=libmdexafs.a -DLD=ld -DOBJCOPY=objcopy
#         -DNM=nm -DAR=ar -P public_archive.cmake
#
# ld -r joins the objects, so that calls between them no longer need a
# global name; objcopy then makes every hidden (non-MDX_API) symbol local
# and drops the local ones nothing refers to. The locals that relocations
# still refer to (internal functions, static tables) are renamed
# __mdexafs_local_N: the linker needs them, a reader of nm need not.

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "public_archive: ${ARGN}: ${err}")
  endif()
endfunction()

string(REPLACE "|" ";" objects "${OBJECTS}")
get_filename_component(dir "${OUT}" DIRECTORY)
set(joined "${dir}/mdexafs_public.o")
file(REMOVE "${OUT}" "${joined}")
run(${LD} -r -o "${joined}" ${objects})
run(${OBJCOPY} --localize-hidden --strip-debug "${joined}")
run(${OBJCOPY} --strip-unneeded "${joined}")

execute_process(COMMAND ${NM} "${joined}" OUTPUT_VARIABLE symbols
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "public_archive: ${NM} ${joined} failed")
endif()
string(REPLACE "\n" ";" symbols "${symbols}")
set(locals "")
foreach(line IN LISTS symbols)
  # "0000000000001234 t name": a lower-case type is a local symbol (two
  # files' static functions may share a name: one entry renames both)
  if(line MATCHES "^[0-9a-f]* [a-z] ([^ ]+)$")
    list(APPEND locals "${CMAKE_MATCH_1}")
  endif()
endforeach()
list(REMOVE_DUPLICATES locals)
set(map "")
set(n 0)
foreach(name IN LISTS locals)
  string(APPEND map "${name} __mdexafs_local_${n}\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE "${dir}/mdexafs_public.map" "${map}")
run(${OBJCOPY} --redefine-syms=${dir}/mdexafs_public.map "${joined}")
run(${AR} rcs "${OUT}" "${joined}")
