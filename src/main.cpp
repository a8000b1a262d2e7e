// sp: the binary is the library plus this; everything lives in sp_core.
#include "sp/cli/app.hpp"

int main(int argc, char** argv) { return sp::cli::run(argc, argv); }
