// libcurl is loaded when the first HTTP request is made, not when dockgate starts. Only publish,
// doctor's token check and the smoke test speak HTTP; linking libcurl pulled ~40 shared libraries
// (GnuTLS, Kerberos, LDAP, RTMP, ...) into every run, and their loading was half of the startup
// time. These definitions stand in for the nine libcurl functions http.cpp calls and forward to
// the real ones from libcurl.so.4, found with dlopen. Without libcurl a request fails with the
// reason as its transport error (publish: exit 4, "could not run").
#define CURL_DISABLE_TYPECHECK  // curl's type-checking macros would rename the definitions below
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <mutex>
#include <string>

#include "src/util/curl_loader.hpp"
#include "src/util/shared_library.hpp"

namespace {

struct Curl {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  std::string error;  // why it is not loaded; "" when it is
};

template <typename F>
bool bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));
  return fn != nullptr;
}

const Curl& curl() {
  static const Curl c = [] {
    Curl c;
    auto loaded =
        dg::util::load_library("DOCKGATE_LIBCURL", {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4"});
    void* lib = loaded.handle;
    if (!lib) {
      c.error = "libcurl is not installed (" + loaded.asked +
                " could not be loaded); HTTP needs it: apt-get install libcurl4 (or your distribution's libcurl package)";
      return c;
    }
    bool ok = bind(lib, "curl_global_init", c.global_init) && bind(lib, "curl_easy_init", c.easy_init) &&
              bind(lib, "curl_easy_setopt", c.easy_setopt) && bind(lib, "curl_easy_perform", c.easy_perform) &&
              bind(lib, "curl_easy_getinfo", c.easy_getinfo) && bind(lib, "curl_easy_cleanup", c.easy_cleanup) &&
              bind(lib, "curl_easy_strerror", c.easy_strerror) && bind(lib, "curl_slist_append", c.slist_append) &&
              bind(lib, "curl_slist_free_all", c.slist_free_all);
    if (!ok) c.error = "the libcurl found lacks a function dockgate needs (libcurl 7.x or later is needed)";
    return c;
  }();
  return c;
}

}  // namespace

namespace dg::util {
std::string curl_unavailable() { return curl().error; }
}  // namespace dg::util

// Without libcurl the calls still succeed up to curl_easy_perform, on stand-in handles, so the
// request fails there and curl_easy_strerror carries the reason to the user.
namespace {
char g_no_curl;
curl_slist g_no_list{};
bool missing() { return !curl().error.empty(); }
}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) { return missing() ? CURLE_OK : curl().global_init(flags); }

CURL* curl_easy_init() { return missing() ? static_cast<CURL*>(&g_no_curl) : curl().easy_init(); }

// The option number says the argument's type (curl's own rule, CURLOPTTYPE_*): read it as that
// type and pass it on as that type.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  if (missing()) return CURLE_OK;
  va_list ap;
  va_start(ap, option);
  CURLcode rc;
  if (option < CURLOPTTYPE_OBJECTPOINT) rc = curl().easy_setopt(handle, option, va_arg(ap, long));
  else if (option < CURLOPTTYPE_FUNCTIONPOINT) rc = curl().easy_setopt(handle, option, va_arg(ap, void*));
  else if (option < CURLOPTTYPE_OFF_T) rc = curl().easy_setopt(handle, option, va_arg(ap, void (*)()));
  else if (option < CURLOPTTYPE_BLOB) rc = curl().easy_setopt(handle, option, va_arg(ap, curl_off_t));
  else rc = curl().easy_setopt(handle, option, va_arg(ap, void*));
  va_end(ap);
  return rc;
}

CURLcode curl_easy_perform(CURL* handle) { return missing() ? CURLE_FAILED_INIT : curl().easy_perform(handle); }

// Every CURLINFO_* takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  if (missing()) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, info);
  CURLcode rc = curl().easy_getinfo(handle, info, va_arg(ap, void*));
  va_end(ap);
  return rc;
}

void curl_easy_cleanup(CURL* handle) {
  if (!missing()) curl().easy_cleanup(handle);
}

const char* curl_easy_strerror(CURLcode code) { return missing() ? curl().error.c_str() : curl().easy_strerror(code); }

curl_slist* curl_slist_append(curl_slist* list, const char* s) {
  return missing() ? &g_no_list : curl().slist_append(list, s);
}

void curl_slist_free_all(curl_slist* list) {
  if (list && !missing()) curl().slist_free_all(list);
}

}  // extern "C"
