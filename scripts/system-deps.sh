#!/usr/bin/env bash
# The Debian packages the full test suite needs beyond Python:
#   chromium + chromium-driver  the phone page's browser test (selenium drives the system browser)
#   libgl1, libglib2.0-0        opencv, which the optional OCR extra (rapidocr-onnxruntime) imports
# Installs only what is missing; uses sudo when not run as root. On a machine without apt-get it
# names the packages and stops, so a missing browser fails here instead of in the middle of the tests.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
ldconfig -p 2>/dev/null | grep -q 'libGL\.so\.1' || need+=(libgl1)
ldconfig -p 2>/dev/null | grep -q 'libgthread-2\.0\.so\.0' || need+=(libglib2.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "需要先安装这些系统软件包：${need[*]}（本机没有 apt-get，请用系统自带的包管理器安装）" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "+ apt-get install ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
