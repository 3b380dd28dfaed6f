/* Version, result strings and the panic boundary, through the C ABI. */
#include "check.h"

static void test_version(void) {
    CHECK(strcmp(gamecrypt_version(), GAMECRYPT_VERSION_STRING) == 0);
    CHECK(gamecrypt_version_number() ==
          (uint32_t)(GAMECRYPT_VERSION_MAJOR * 10000 + GAMECRYPT_VERSION_MINOR * 100 +
                     GAMECRYPT_VERSION_PATCH));
}

static void test_result_str(void) {
    CHECK(strcmp(gamecrypt_result_str(GAMECRYPT_RESULT_OK), "success") == 0);
    CHECK(strstr(gamecrypt_result_str(GAMECRYPT_RESULT_BUFFER_TOO_SMALL), "too small") != NULL);
    CHECK(strstr(gamecrypt_result_str(GAMECRYPT_RESULT_SIGNATURE_INVALID), "signature") != NULL);
    /* Any integer is safe to pass, including values that are no code at all. */
    CHECK(strcmp(gamecrypt_result_str(9999), "unknown gamecrypt result code") == 0);
    CHECK(strcmp(gamecrypt_result_str(0xFFFFFFFFu), "unknown gamecrypt result code") == 0);
    /* Codes are stable: they are part of the ABI. */
    CHECK(GAMECRYPT_RESULT_NULL_ARGUMENT == 1);
    CHECK(GAMECRYPT_RESULT_OPEN_FAILED == 200);
    CHECK(GAMECRYPT_RESULT_WRONG_STATE == 300);
}

int main(void) {
    test_version();
    test_result_str();
    return check_report("c basics");
}
