# Shared compile settings as INTERFACE targets, so each target opts in and
# third-party code is never built with our warnings.
add_library(sp_warnings INTERFACE)
target_compile_options(sp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  -Wno-missing-field-initializers)
if(SP_WERROR)
  target_compile_options(sp_warnings INTERFACE -Werror)
endif()

add_library(sp_sanitizers INTERFACE)
if(SP_SANITIZE)
  target_compile_options(sp_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(sp_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
