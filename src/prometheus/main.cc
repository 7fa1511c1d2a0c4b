#include <cstdio>

#include "prometheus/cli/cli.h"

int main(int argc, char** argv) { return prometheus::cli::Main(argc, argv, {stdout, stderr}); }
