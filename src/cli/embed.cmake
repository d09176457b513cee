# cmake -DINPUT=F -DOUTPUT=C -DNAME=N -P embed.cmake: write F's bytes to
# the C file C as `const char N[]` and its length `const size_t N_size`.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "/* Made by embed.cmake from ${INPUT}. */\n"
     "#include <stddef.h>\n"
     "extern const char ${NAME}[];\nextern const size_t ${NAME}_size;\n"
     "const char ${NAME}[] = {\n${bytes}0};\n"
     "const size_t ${NAME}_size = ${size};\n")
