// SPDX-License-Identifier: MIT
// Standalone main for builds without libFuzzer (gcc, or clang without -fsanitize=fuzzer):
// runs LLVMFuzzerTestOneInput once on each file given, or on each file of each directory
// given, so corpora and regressions are regression tests in every build. Arguments starting
// with '-' (libFuzzer flags) are ignored; file names starting with '.' are skipped.
// Each input is copied into a heap buffer of its exact size so ASan sees one-byte over-reads.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// The kit's custom mutator calls this; without libFuzzer nothing mutates.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t*, std::size_t size, std::size_t)
{
    return size;
}

namespace {

namespace fs = std::filesystem;

void run_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto exact = std::make_unique<std::uint8_t[]>(content.size());
    std::copy(content.begin(), content.end(), exact.get());
    LLVMFuzzerTestOneInput(exact.get(), content.size());
}

std::vector<fs::path> inputs_of(const fs::path& arg)
{
    if (!fs::is_directory(arg)) return {arg};
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(arg))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

int main(int argc, char** argv)
{
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("-")) continue;
        if (!fs::exists(arg)) {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
            return 2;
        }
        for (const auto& file : inputs_of(arg)) {
            run_file(file);
            ++count;
        }
    }
    std::printf("replay: %zu inputs, no property violated\n", count);
    return 0;
}
