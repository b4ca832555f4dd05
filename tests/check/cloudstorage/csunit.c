/* gst-egress
 * Copyright (C) 2026 gst-egress contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */

/* Pure parts of cloudstoragesink: locations and request signers, checked
 * against AWS's published SigV4 examples and values computed independently
 * (Python hmac/hashlib) for Azure Shared Key and OSS V1. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "csuri.h"
#include "cssign.h"
#include "cstarget.h"

static void
check_uri (const gchar * loc, CsProvider p, const gchar * bucket,
    const gchar * key)
{
  GError *err = NULL;
  CsUri *u = cs_uri_parse (loc, &err);

  fail_unless (u != NULL, "%s: %s", loc, err ? err->message : "");
  fail_unless_equals_int (u->provider, p);
  fail_unless_equals_string (u->bucket, bucket);
  fail_unless_equals_string (u->key, key);
  cs_uri_free (u);
}

static void
check_bad_uri (const gchar * loc, const gchar * needle)
{
  GError *err = NULL;
  CsUri *u = cs_uri_parse (loc, &err);

  fail_unless (u == NULL, "%s parsed", loc);
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, needle) != NULL, "'%s' not in '%s'",
      needle, err->message);
  g_error_free (err);
}

GST_START_TEST (test_uri_parse)
{
  gchar *s;
  CsUri *u;

  check_uri ("s3://rec/room/a.mp4", CS_PROVIDER_S3, "rec", "room/a.mp4");
  check_uri ("gs://my-bucket/x", CS_PROVIDER_GCS, "my-bucket", "x");
  check_uri ("azure://container/dir/blob.ts", CS_PROVIDER_AZURE, "container",
      "dir/blob.ts");
  check_uri ("oss://b.x/seg_%05d.ts", CS_PROVIDER_OSS, "b.x", "seg_%05d.ts");
  check_uri ("S3://rec/k", CS_PROVIDER_S3, "rec", "k");
  check_uri ("file:///tmp/a b.mp4", CS_PROVIDER_FILE, NULL, "/tmp/a b.mp4");
  check_uri ("file://localhost/tmp/x", CS_PROVIDER_FILE, NULL, "/tmp/x");
  check_uri ("/abs/path.mp4", CS_PROVIDER_FILE, NULL, "/abs/path.mp4");
  check_uri ("rel/p_%05d.jpeg", CS_PROVIDER_FILE, NULL, "rel/p_%05d.jpeg");
  check_uri ("weird:name", CS_PROVIDER_FILE, NULL, "weird:name");

  check_bad_uri ("", "No location");
  check_bad_uri ("s3://", "no bucket");
  check_bad_uri ("s3:///key", "no bucket");
  check_bad_uri ("gs://bucket", "no object name");
  check_bad_uri ("gs://bucket/", "no object name");
  check_bad_uri ("azure://c/dir/", "names a folder");
  check_bad_uri ("s3://b@d/k", "not a valid bucket");
  check_bad_uri ("http://host/x", "unsupported scheme 'http'");
  check_bad_uri ("file://otherhost/x", "file:///absolute/path");

  u = cs_uri_parse ("oss://b/k/v.mp4", NULL);
  s = cs_uri_to_string (u);
  fail_unless_equals_string (s, "oss://b/k/v.mp4");
  g_free (s);
  cs_uri_free (u);
}

GST_END_TEST;

GST_START_TEST (test_location_pattern)
{
  gboolean has = TRUE;
  GError *err = NULL;
  gchar *s;

  fail_unless (cs_location_check_pattern ("a/b.mp4", &has, NULL));
  fail_if (has);
  fail_unless (cs_location_check_pattern ("t_%05d.jpeg", &has, NULL));
  fail_unless (has);
  fail_unless (cs_location_check_pattern ("100%%_%d", &has, NULL));
  fail_unless (has);
  fail_if (cs_location_check_pattern ("a_%s", NULL, &err));
  fail_unless (strstr (err->message, "%d-style") != NULL);
  g_clear_error (&err);
  fail_if (cs_location_check_pattern ("%d_%d", NULL, &err));
  fail_unless (strstr (err->message, "more than one") != NULL);
  g_clear_error (&err);
  fail_if (cs_location_check_pattern ("end%", NULL, NULL));

  s = cs_location_format ("t_%05d.jpeg", 42);
  fail_unless_equals_string (s, "t_00042.jpeg");
  g_free (s);
  s = cs_location_format ("100%%/%d", 7);
  fail_unless_equals_string (s, "100%/7");
  g_free (s);
  s = cs_location_format ("x%3u", 5);
  fail_unless_equals_string (s, "x  5");
  g_free (s);
  s = cs_location_format ("x%02d", 123);
  fail_unless_equals_string (s, "x123");
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_uri_encode)
{
  gchar *s = cs_uri_encode ("a b/c+d=é~_.-", TRUE);

  fail_unless_equals_string (s, "a%20b/c%2Bd%3D%C3%A9~_.-");
  g_free (s);
  s = cs_uri_encode ("a/b", FALSE);
  fail_unless_equals_string (s, "a%2Fb");
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_canonical_query)
{
  const gchar *q1[] = { "uploads", "", NULL };
  const gchar *q2[] = { "uploadId", "a+b/c=", "partNumber", "12", NULL };
  gchar *s;

  /* valueless parameters are signed with '=', parameters sorted, values
   * encoded (uploadIds may hold + / =) */
  s = cs_canonical_query (q1);
  fail_unless_equals_string (s, "uploads=");
  g_free (s);
  s = cs_canonical_query (q2);
  fail_unless_equals_string (s, "partNumber=12&uploadId=a%2Bb%2Fc%3D");
  g_free (s);
  s = cs_canonical_query (NULL);
  fail_unless_equals_string (s, "");
  g_free (s);
}

GST_END_TEST;

/* AWS SigV4 test suite, "get-vanilla" */
GST_START_TEST (test_sigv4_get_vanilla)
{
  CsHeader h[] = { {"Host", "example.amazonaws.com"},
  {"X-Amz-Date", "20150830T123600Z"}
  };
  gchar *creq, *sts;
  gchar *empty = cs_sha256_hex ((const guint8 *) "", 0);
  gchar *auth = cs_sigv4_authorization ("GET", "/", "", h, 2, empty,
      "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "us-east-1", "service", "20150830T123600Z", &creq, &sts);

  fail_unless_equals_string (creq, "GET\n/\n\nhost:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  fail_unless_equals_string (sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  fail_unless_equals_string (auth, "AWS4-HMAC-SHA256 "
      "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  g_free (auth);
  g_free (creq);
  g_free (sts);
  g_free (empty);
}

GST_END_TEST;

/* Amazon S3 API reference, "Authenticating requests: Example GET Object"
 * (header-based SigV4 with the example bucket) */
GST_START_TEST (test_sigv4_s3_get_object)
{
  const gchar *e3 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CsHeader h[] = { {"Host", "examplebucket.s3.amazonaws.com"},
  {"Range", "bytes=0-9"}, {"x-amz-content-sha256", e3},
  {"x-amz-date", "20130524T000000Z"}
  };
  gchar *sts;
  gchar *auth = cs_sigv4_authorization ("GET", "/test.txt", "", h, 4, e3,
      "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "us-east-1", "s3", "20130524T000000Z", NULL, &sts);

  fail_unless_equals_string (sts, "AWS4-HMAC-SHA256\n20130524T000000Z\n"
      "20130524/us-east-1/s3/aws4_request\n"
      "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  fail_unless_equals_string (auth, "AWS4-HMAC-SHA256 "
      "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  g_free (auth);
  g_free (sts);
}

GST_END_TEST;

#define AZURITE_KEY "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

GST_START_TEST (test_azure_shared_key)
{
  CsHeader h[] = { {"x-ms-version", "2021-08-06"},
  {"X-Ms-Date", "Wed, 25 Nov 2026 06:00:00 GMT"},
  {"Content-Length", "1048576"}
  };
  const gchar *q[] = { "comp", "block", "blockid", "YmxrMDAwMDE=", NULL };
  GError *err = NULL;
  gchar *sts;
  gchar *auth = cs_azure_shared_key ("devstoreaccount1", AZURITE_KEY, "PUT",
      h, 3, "/devstoreaccount1/rec/big.mp4", q, &sts, &err);

  fail_unless (auth != NULL);
  fail_unless_equals_string (sts, "PUT\n\n\n1048576\n\n\n\n\n\n\n\n\n"
      "x-ms-date:Wed, 25 Nov 2026 06:00:00 GMT\nx-ms-version:2021-08-06\n"
      "/devstoreaccount1/devstoreaccount1/rec/big.mp4\n"
      "blockid:YmxrMDAwMDE=\ncomp:block");
  fail_unless_equals_string (auth, "SharedKey devstoreaccount1:"
      "nAkeFe6BSAeoIhYEVL5a6omyP1MVk0WMcNp4sZI4SXs=");
  g_free (auth);
  g_free (sts);

  /* Content-Length 0 is signed as an empty line */
  h[2].value = "0";
  auth = cs_azure_shared_key ("a", AZURITE_KEY, "PUT", h, 3, "/c/b", NULL,
      &sts, NULL);
  fail_unless (g_str_has_prefix (sts, "PUT\n\n\n\n"));
  g_free (auth);
  g_free (sts);

  fail_if (cs_azure_shared_key ("a", "", "PUT", h, 3, "/c/b", NULL, NULL,
          &err));
  fail_unless (strstr (err->message, "not base64") != NULL);
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_oss_v1)
{
  CsHeader h[] = { {"X-OSS-Security-Token", "tok"},
  {"x-oss-meta-room", "  r1 "}, {"Content-Type", "video/mp4"}
  };
  gchar *sts;
  gchar *sig = cs_oss_v1_signature ("secret-oss", "PUT", NULL, "video/mp4",
      "Wed, 25 Nov 2026 06:00:00 GMT", h, 3,
      "/rec/a/b.mp4?partNumber=2&uploadId=0004B9894A22E5B1888A1E29F823****",
      &sts);

  fail_unless_equals_string (sts, "PUT\n\nvideo/mp4\n"
      "Wed, 25 Nov 2026 06:00:00 GMT\nx-oss-meta-room:r1\n"
      "x-oss-security-token:tok\n"
      "/rec/a/b.mp4?partNumber=2&uploadId=0004B9894A22E5B1888A1E29F823****");
  fail_unless_equals_string (sig, "D/synRDjVej+gxFM29h5fL2L07M=");
  g_free (sig);
  g_free (sts);
}

GST_END_TEST;

/* The example of Alibaba Cloud's OSS documentation (signature version 1):
 * secret OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV, object /oss-example/nelson */
GST_START_TEST (test_oss_v1_documented)
{
  CsHeader h[] = { {"X-OSS-Magic", "abracadabra"},
  {"X-OSS-Meta-Author", "foo@bar.com"}
  };
  gchar *sts;
  gchar *sig = cs_oss_v1_signature ("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV",
      "PUT", "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=", "text/html",
      "Thu, 17 Nov 2005 18:49:58 GMT", h, 2, "/oss-example/nelson", &sts);

  fail_unless_equals_string (sts, "PUT\n"
      "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\n"
      "Thu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\n"
      "x-oss-meta-author:foo@bar.com\n/oss-example/nelson");
  fail_unless_equals_string (sig, "26NBxoKdsyly4EDv6inkoDft/yA=");
  g_free (sig);
  g_free (sts);
}

GST_END_TEST;

/* Signature version 4: the header-signing test vectors Alibaba Cloud
 * publishes with its OSS Go SDK v2 (oss/signer/signer_test.go,
 * TestV4AuthHeader and TestV4AuthHeaderToken): keys ak/sk, cn-hangzhou,
 * PUT /bucket/1234+-/123/1.txt with six query parameters; abc, ZAbc and XYZ
 * are sent but not signed. */
GST_START_TEST (test_oss_v4_documented)
{
  const gchar *q[] = { "param1", "value1", "+param1", "value3", "|param1",
    "value4", "+param2", "", "|param2", "", "param2", "", NULL
  };
  CsHeader h[] = { {"x-oss-head1", "value"}, {"abc", "value"},
  {"ZAbc", "value"}, {"XYZ", "value"}, {"content-type", "text/plain"},
  {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
  {"x-oss-date", "20231216T162057Z"}, {"x-oss-security-token", "token"}
  };
  gchar *creq, *sts;
  gchar *auth = cs_oss_v4_authorization ("PUT", "/bucket/1234+-/123/1.txt", q,
      h, 7, "ak", "sk", "cn-hangzhou", "20231216T162057Z", &creq, &sts);

  fail_unless_equals_string (creq, "PUT\n/bucket/1234%2B-/123/1.txt\n"
      "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&"
      "param2\ncontent-type:text/plain\n"
      "x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\n"
      "x-oss-head1:value\n\n\nUNSIGNED-PAYLOAD");
  fail_unless (g_str_has_prefix (sts, "OSS4-HMAC-SHA256\n20231216T162057Z\n"
          "20231216/cn-hangzhou/oss/aliyun_v4_request\n"));
  fail_unless_equals_string (auth, "OSS4-HMAC-SHA256 Credential=ak/20231216/"
      "cn-hangzhou/oss/aliyun_v4_request,Signature="
      "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
  g_free (auth);
  g_free (creq);
  g_free (sts);

  /* with a security token, a day later */
  h[6].value = "20231217T034736Z";
  auth = cs_oss_v4_authorization ("PUT", "/bucket/1234+-/123/1.txt", q, h, 8,
      "ak", "sk", "cn-hangzhou", "20231217T034736Z", NULL, NULL);
  fail_unless_equals_string (auth, "OSS4-HMAC-SHA256 Credential=ak/20231217/"
      "cn-hangzhou/oss/aliyun_v4_request,Signature="
      "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
  g_free (auth);
}

GST_END_TEST;

static gchar *
b64url_decode (const gchar * s, gsize * len)
{
  GString *t = g_string_new (s);
  guchar *d;

  g_string_replace (t, "-", "+", 0);
  g_string_replace (t, "_", "/", 0);
  while (t->len % 4)
    g_string_append_c (t, '=');
  d = g_base64_decode (t->str, len);
  g_string_free (t, TRUE);
  return (gchar *) d;
}

GST_START_TEST (test_gcs_jwt)
{
  EVP_PKEY *key = EVP_RSA_gen (2048);
  BIO *bio = BIO_new (BIO_s_mem ());
  gchar *pem, *jwt, **parts, *header, *claims, *sig;
  gsize pem_len, hl, cl, sl;
  EVP_MD_CTX *ctx;
  gchar *signed_part;
  GError *err = NULL;

  fail_unless (key != NULL);
  fail_unless (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL,
          NULL) == 1);
  pem_len = BIO_pending (bio);
  pem = g_malloc0 (pem_len + 1);
  BIO_read (bio, pem, pem_len);
  BIO_free (bio);

  jwt = cs_gcs_jwt_assertion ("sa@p.iam.gserviceaccount.com", pem, "kid1",
      "https://www.googleapis.com/auth/devstorage.read_write",
      "https://oauth2.googleapis.com/token", 1700000000, &err);
  fail_unless (jwt != NULL, "%s", err ? err->message : "");
  parts = g_strsplit (jwt, ".", -1);
  fail_unless_equals_int (g_strv_length (parts), 3);
  header = b64url_decode (parts[0], &hl);
  claims = b64url_decode (parts[1], &cl);
  sig = b64url_decode (parts[2], &sl);
  header = g_realloc (header, hl + 1);
  header[hl] = '\0';
  claims = g_realloc (claims, cl + 1);
  claims[cl] = '\0';
  fail_unless_equals_string (header,
      "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"kid1\"}");
  fail_unless_equals_string (claims,
      "{\"iss\":\"sa@p.iam.gserviceaccount.com\",\"scope\":"
      "\"https://www.googleapis.com/auth/devstorage.read_write\","
      "\"aud\":\"https://oauth2.googleapis.com/token\",\"iat\":1700000000,"
      "\"exp\":1700003600}");
  fail_unless_equals_int (sl, 256);

  /* the signature verifies with the public key */
  signed_part = g_strdup_printf ("%s.%s", parts[0], parts[1]);
  ctx = EVP_MD_CTX_new ();
  fail_unless (EVP_DigestVerifyInit (ctx, NULL, EVP_sha256 (), NULL,
          key) == 1);
  fail_unless (EVP_DigestVerify (ctx, (guchar *) sig, sl,
          (guchar *) signed_part, strlen (signed_part)) == 1);
  /* and not for other content */
  signed_part[0] ^= 1;
  fail_unless (EVP_DigestVerifyInit (ctx, NULL, EVP_sha256 (), NULL,
          key) == 1);
  fail_if (EVP_DigestVerify (ctx, (guchar *) sig, sl,
          (guchar *) signed_part, strlen (signed_part)) == 1);
  EVP_MD_CTX_free (ctx);

  fail_if (cs_gcs_jwt_assertion ("x", "not a key", NULL, "s", "a", 1, &err));
  fail_unless (strstr (err->message, "RSA PEM") != NULL);
  g_clear_error (&err);

  g_free (signed_part);
  g_free (header);
  g_free (claims);
  g_free (sig);
  g_strfreev (parts);
  g_free (jwt);
  g_free (pem);
  EVP_PKEY_free (key);
}

GST_END_TEST;

GST_START_TEST (test_retry_delay)
{
  guint i;

  for (i = 0; i < 50; i++) {
    guint d1 = cs_retry_delay (1, 100, 1000);
    guint d3 = cs_retry_delay (3, 100, 1000);
    guint d9 = cs_retry_delay (9, 100, 1000);

    /* exponential, capped, with jitter in [d/2, d] */
    fail_unless (d1 >= 50 && d1 <= 100, "%u", d1);
    fail_unless (d3 >= 200 && d3 <= 400, "%u", d3);
    fail_unless (d9 >= 500 && d9 <= 1000, "%u", d9);
  }
  fail_unless_equals_int (cs_retry_delay (4, 0, 0), 0);
}

GST_END_TEST;

static Suite *
csunit_suite (void)
{
  Suite *s = suite_create ("cloudstorage-unit");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_uri_parse);
  tcase_add_test (tc, test_location_pattern);
  tcase_add_test (tc, test_uri_encode);
  tcase_add_test (tc, test_canonical_query);
  tcase_add_test (tc, test_sigv4_get_vanilla);
  tcase_add_test (tc, test_sigv4_s3_get_object);
  tcase_add_test (tc, test_azure_shared_key);
  tcase_add_test (tc, test_oss_v1);
  tcase_add_test (tc, test_oss_v4_documented);
  tcase_add_test (tc, test_oss_v1_documented);
  tcase_add_test (tc, test_gcs_jwt);
  tcase_add_test (tc, test_retry_delay);
  return s;
}

GST_CHECK_MAIN (csunit);
