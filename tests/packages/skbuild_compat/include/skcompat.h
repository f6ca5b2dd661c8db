#pragma once
#define SKCOMPAT_ANSWER 42
