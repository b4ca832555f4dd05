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


/* Unit tests of the proto3-JSON codec over a test schema that holds every
 * field kind (protojson_test.proto). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/livekit/protojson.h>

#include "protojson_test.pb-c.h"

#define ALL_DESC (&gstlktest__all__descriptor)

static Gstlktest__All *
parse_all (const gchar * json)
{
  GError *err = NULL;
  ProtobufCMessage *msg = gst_livekit_protojson_parse (ALL_DESC, json, -1,
      &err);

  fail_unless (msg != NULL, "parse of %s failed: %s", json,
      err ? err->message : "?");
  return (Gstlktest__All *) msg;
}

/* Parses JSON that must fail; returns the error message. */
static gchar *
parse_error (const gchar * json, gint code)
{
  GError *err = NULL;
  ProtobufCMessage *msg = gst_livekit_protojson_parse (ALL_DESC, json, -1,
      &err);
  gchar *ret;

  fail_unless (msg == NULL, "%s parsed but should not", json);
  fail_unless (err != NULL);
  fail_unless (err->domain == GST_LIVEKIT_PROTOJSON_ERROR);
  fail_unless_equals_int (err->code, code);
  ret = g_strdup (err->message);
  g_error_free (err);
  return ret;
}

static void
assert_error (const gchar * json, gint code, const gchar * message)
{
  gchar *msg = parse_error (json, code);

  fail_unless_equals_string (msg, message);
  g_free (msg);
}

static gchar *
to_json (const Gstlktest__All * msg)
{
  GError *err = NULL;
  gchar *s = gst_livekit_protojson_to_string (&msg->base, &err);

  fail_unless (s != NULL, "to_string failed: %s", err ? err->message : "?");
  return s;
}

static void
assert_json (const Gstlktest__All * msg, const gchar * expected)
{
  gchar *s = to_json (msg);

  fail_unless_equals_string (s, expected);
  g_free (s);
}

/* JSON in -> JSON out, after a trip through the C structure. */
static void
assert_normalises (const gchar * in, const gchar * expected)
{
  Gstlktest__All *msg = parse_all (in);

  assert_json (msg, expected);
  gstlktest__all__free_unpacked (msg, NULL);
}

static GBytes *
pack (const ProtobufCMessage * msg)
{
  gsize len = protobuf_c_message_get_packed_size (msg);
  guint8 *buf = g_malloc (len + 1);

  fail_unless_equals_int (protobuf_c_message_pack (msg, buf), len);
  return g_bytes_new_take (buf, len);
}

GST_START_TEST (test_every_kind_round_trip)
{
  Gstlktest__All msg = GSTLKTEST__ALL__INIT;
  Gstlktest__Inner inner = GSTLKTEST__INNER__INIT;
  Gstlktest__Inner r0 = GSTLKTEST__INNER__INIT, r1 = GSTLKTEST__INNER__INIT;
  Gstlktest__Inner *rmsg[] = { &r0, &r1 };
  Gstlktest__Empty empty = GSTLKTEST__EMPTY__INIT;
  int32_t rint[] = { 1, -2, 3 };
  char *rstr[] = { (char *) "a", (char *) "", (char *) "ü" };
  Gstlktest__Color renum[] = { GSTLKTEST__COLOR__GREEN, GSTLKTEST__COLOR__RED };
  ProtobufCBinaryData rbytes[] = { {3, (uint8_t *) "abc"}, {0, NULL} };
  int64_t rint64[] = { G_MININT64, 0 };
  double rdouble[] = { 0.5, -1e300 };
  protobuf_c_boolean rbool[] = { TRUE, FALSE };
  Gstlktest__All__MStrEntry ms0 = GSTLKTEST__ALL__MSTR_ENTRY__INIT;
  Gstlktest__All__MStrEntry ms1 = GSTLKTEST__ALL__MSTR_ENTRY__INIT;
  Gstlktest__All__MStrEntry *mstr[] = { &ms0, &ms1 };
  Gstlktest__All__MMsgEntry mm0 = GSTLKTEST__ALL__MMSG_ENTRY__INIT;
  Gstlktest__All__MMsgEntry *mmsg[] = { &mm0 };
  Gstlktest__All__MEnumEntry me0 = GSTLKTEST__ALL__MENUM_ENTRY__INIT;
  Gstlktest__All__MEnumEntry *menum[] = { &me0 };
  Gstlktest__All__MBytesEntry mb0 = GSTLKTEST__ALL__MBYTES_ENTRY__INIT;
  Gstlktest__All__MBytesEntry *mbytes[] = { &mb0 };
  Gstlktest__All *back;
  GBytes *a, *b;
  gchar *json;

  msg.f_int32 = -5;
  msg.f_int64 = G_GINT64_CONSTANT (-1234567890123456789);
  msg.f_uint32 = G_MAXUINT32;
  msg.f_uint64 = G_MAXUINT64;
  msg.f_sint32 = -7;
  msg.f_sint64 = G_GINT64_CONSTANT (9007199254740993);
  msg.f_fixed32 = 42;
  msg.f_fixed64 = 43;
  msg.f_sfixed32 = -44;
  msg.f_sfixed64 = -45;
  msg.f_float = 1.5f;
  msg.f_double = 0.25;
  msg.f_bool = TRUE;
  msg.f_string = (char *) "h\"i\n";
  msg.f_bytes.data = (uint8_t *) "\x00\xff\x10";
  msg.f_bytes.len = 3;
  msg.f_enum = GSTLKTEST__COLOR__BLUE_SKY;
  inner.name = (char *) "in";
  inner.n = 9;
  msg.f_msg = &inner;
  msg.f_empty = &empty;
  msg.n_r_int32 = 3;
  msg.r_int32 = rint;
  msg.n_r_string = 3;
  msg.r_string = rstr;
  r0.n = 1;
  r1.name = (char *) "r1";
  msg.n_r_msg = 2;
  msg.r_msg = rmsg;
  msg.n_r_enum = 2;
  msg.r_enum = renum;
  msg.n_r_bytes = 2;
  msg.r_bytes = rbytes;
  msg.n_r_int64 = 2;
  msg.r_int64 = rint64;
  msg.n_r_double = 2;
  msg.r_double = rdouble;
  msg.n_r_bool = 2;
  msg.r_bool = rbool;
  ms0.key = (char *) "k";
  ms0.value = (char *) "v";
  ms1.key = (char *) "";
  msg.n_m_str = 2;
  msg.m_str = mstr;
  mm0.key = -3;
  mm0.value = &inner;
  msg.n_m_msg = 1;
  msg.m_msg = mmsg;
  me0.key = TRUE;
  me0.value = GSTLKTEST__COLOR__GREEN;
  msg.n_m_enum = 1;
  msg.m_enum = menum;
  mb0.key = G_MAXUINT64;
  mb0.value.data = (uint8_t *) "z";
  mb0.value.len = 1;
  msg.n_m_bytes = 1;
  msg.m_bytes = mbytes;
  msg.choice_case = GSTLKTEST__ALL__CHOICE_O_MSG;
  msg.o_msg = &inner;
  msg._opt_int_case = GSTLKTEST__ALL___OPT_INT_OPT_INT;
  msg.opt_int = 0;
  msg.candidateinit = (char *) "{\"candidate\":\"x\"}";

  json = to_json (&msg);
  fail_unless_equals_string (json,
      "{\"fInt32\":-5,\"fInt64\":\"-1234567890123456789\","
      "\"fUint32\":4294967295,\"fUint64\":\"18446744073709551615\","
      "\"fSint32\":-7,\"fSint64\":\"9007199254740993\",\"fFixed32\":42,"
      "\"fFixed64\":\"43\",\"fSfixed32\":-44,\"fSfixed64\":\"-45\","
      "\"fFloat\":1.5,\"fDouble\":0.25,\"fBool\":true,"
      "\"fString\":\"h\\\"i\\n\",\"fBytes\":\"AP8Q\",\"fEnum\":\"BLUE_SKY\","
      "\"fMsg\":{\"name\":\"in\",\"n\":9},\"fEmpty\":{},"
      "\"rInt32\":[1,-2,3],\"rString\":[\"a\",\"\",\"ü\"],"
      "\"rMsg\":[{\"n\":1},{\"name\":\"r1\"}],\"rEnum\":[\"GREEN\",\"RED\"],"
      "\"rBytes\":[\"YWJj\",\"\"],"
      "\"rInt64\":[\"-9223372036854775808\",\"0\"],"
      "\"rDouble\":[0.5,-1.0000000000000001e+300],\"rBool\":[true,false],"
      "\"mStr\":{\"k\":\"v\",\"\":\"\"},"
      "\"mMsg\":{\"-3\":{\"name\":\"in\",\"n\":9}},"
      "\"mEnum\":{\"true\":\"GREEN\"},"
      "\"mBytes\":{\"18446744073709551615\":\"eg==\"},"
      "\"oMsg\":{\"name\":\"in\",\"n\":9},\"optInt\":0,"
      "\"candidateInit\":\"{\\\"candidate\\\":\\\"x\\\"}\"}");

  back = parse_all (json);
  a = pack (&msg.base);
  b = pack (&back->base);
  fail_unless (g_bytes_equal (a, b), "binary differs after a JSON trip");
  g_bytes_unref (a);
  g_bytes_unref (b);
  fail_unless_equals_int (back->choice_case, GSTLKTEST__ALL__CHOICE_O_MSG);
  fail_unless_equals_int (back->_opt_int_case,
      GSTLKTEST__ALL___OPT_INT_OPT_INT);
  fail_unless_equals_uint64 (back->m_bytes[0]->key, G_MAXUINT64);
  gstlktest__all__free_unpacked (back, NULL);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_defaults_omitted)
{
  Gstlktest__All msg = GSTLKTEST__ALL__INIT;
  Gstlktest__Empty empty = GSTLKTEST__EMPTY__INIT;

  assert_json (&msg, "{}");

  /* zero, "" and enum 0 are not written */
  msg.f_string = (char *) "";
  msg.f_enum = GSTLKTEST__COLOR__RED;
  assert_json (&msg, "{}");

  /* a set message field is written even when empty */
  msg.f_empty = &empty;
  assert_json (&msg, "{\"fEmpty\":{}}");
  msg.f_empty = NULL;

  /* oneof members (and proto3 optional) are written when set */
  msg.choice_case = GSTLKTEST__ALL__CHOICE_O_INT32;
  msg.o_int32 = 0;
  assert_json (&msg, "{\"oInt32\":0}");
  msg.choice_case = GSTLKTEST__ALL__CHOICE_O_ENUM;
  msg.o_enum = GSTLKTEST__COLOR__RED;
  assert_json (&msg, "{\"oEnum\":\"RED\"}");
  msg.choice_case = GSTLKTEST__ALL__CHOICE__NOT_SET;
  msg._opt_int_case = GSTLKTEST__ALL___OPT_INT_OPT_INT;
  assert_json (&msg, "{\"optInt\":0}");

  /* ...and read back as set */
  {
    Gstlktest__All *back = parse_all ("{\"optInt\":0,\"oString\":\"\"}");

    fail_unless_equals_int (back->_opt_int_case,
        GSTLKTEST__ALL___OPT_INT_OPT_INT);
    fail_unless_equals_int (back->choice_case,
        GSTLKTEST__ALL__CHOICE_O_STRING);
    fail_unless_equals_string (back->o_string, "");
    gstlktest__all__free_unpacked (back, NULL);
  }
}

GST_END_TEST;

GST_START_TEST (test_names_in)
{
  /* lowerCamelCase and the .proto spelling are both accepted */
  assert_normalises ("{\"f_int32\":1,\"rString\":[\"x\"],\"m_str\":{}}",
      "{\"fInt32\":1,\"rString\":[\"x\"]}");
  assert_normalises ("{\"candidateInit\":\"c\"}", "{\"candidateInit\":\"c\"}");
  /* a camelCase .proto name has no snake_case alias */
  assert_error ("{\"candidate_init\":\"c\"}",
      GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD,
      "candidate_init: unknown field (gstlktest.All has no such field)");
  assert_error ("{\"fInt32\":1,\"f_int32\":2}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "f_int32: field \"f_int32\" given twice");
  assert_error ("{\"fMsg\":{\"name\":\"a\",\"nope\":1}}",
      GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD,
      "fMsg.nope: unknown field (gstlktest.Inner has no such field)");
  /* the JSON name is derived like protoc derives it */
  {
    gchar *n = gst_livekit_protojson_json_name ("mid_to_track_id");

    fail_unless_equals_string (n, "midToTrackId");
    g_free (n);
  }
}

GST_END_TEST;

GST_START_TEST (test_enums)
{
  assert_normalises ("{\"fEnum\":\"BLUE_SKY\",\"rEnum\":[1,\"RED\",2]}",
      "{\"fEnum\":\"BLUE_SKY\",\"rEnum\":[\"GREEN\",\"RED\",\"BLUE_SKY\"]}");
  /* proto3 enums are open: an unknown number is kept and written back */
  assert_normalises ("{\"fEnum\":7}", "{\"fEnum\":7}");
  assert_error ("{\"rMsg\":[{}],\"rEnum\":[\"RED\",\"MP5\"]}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "rEnum[1]: unknown enum value \"MP5\" (gstlktest.Color)");
  assert_error ("{\"fEnum\":true}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fEnum: expected an enum name or number (gstlktest.Color), got true");
  assert_error ("{\"mEnum\":{\"true\":\"NOPE\"}}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "mEnum[\"true\"]: unknown enum value \"NOPE\" (gstlktest.Color)");
}

GST_END_TEST;

GST_START_TEST (test_integers)
{
  /* 64-bit: strings out, strings or numbers in */
  assert_normalises ("{\"fInt64\":123,\"fUint64\":\"18446744073709551615\","
      "\"fSint64\":\"-9223372036854775808\",\"fFixed64\":1e3}",
      "{\"fInt64\":\"123\",\"fUint64\":\"18446744073709551615\","
      "\"fSint64\":\"-9223372036854775808\",\"fFixed64\":\"1000\"}");
  /* 32-bit: numbers out, numbers or strings in */
  assert_normalises ("{\"fInt32\":\"-12\",\"fUint32\":4294967295,"
      "\"fSfixed32\":2.0,\"fFixed32\":\"1e2\"}",
      "{\"fInt32\":-12,\"fUint32\":4294967295,\"fFixed32\":100,"
      "\"fSfixed32\":2}");
  assert_error ("{\"fInt32\":2147483648}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fInt32: number 2147483648 out of range for int32");
  assert_error ("{\"fUint32\":-1}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fUint32: number -1 out of range for uint32");
  assert_error ("{\"fUint64\":\"-1\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fUint64: string \"-1\" out of range for uint64");
  assert_error ("{\"fInt64\":\"9223372036854775808\"}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fInt64: string \"9223372036854775808\" out of range for int64");
  assert_error ("{\"fInt32\":1.5}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fInt32: 1.5 is not an integer (int32)");
  assert_error ("{\"rMsg\":[{\"name\":\"a\"},{\"n\":\"x\"}]}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE, "rMsg[1].n: invalid int32 \"x\"");
  assert_error ("{\"fInt64\":\" 1\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fInt64: invalid int64 \" 1\"");
  assert_error ("{\"fInt32\":true}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fInt32: expected an integer (int32), got true");
}

GST_END_TEST;

GST_START_TEST (test_floats)
{
  Gstlktest__All *msg;

  assert_normalises ("{\"fFloat\":\"NaN\",\"fDouble\":\"-Infinity\","
      "\"rDouble\":[\"Infinity\",\"2.5\",3]}",
      "{\"fFloat\":\"NaN\",\"fDouble\":\"-Infinity\","
      "\"rDouble\":[\"Infinity\",2.5,3.0]}");
  /* written exactly: a float survives the trip */
  msg = parse_all ("{\"fFloat\":0.1}");
  fail_unless (msg->f_float == 0.1f);
  {
    gchar *s = to_json (msg);
    Gstlktest__All *back = parse_all (s);

    fail_unless (back->f_float == 0.1f);
    gstlktest__all__free_unpacked (back, NULL);
    g_free (s);
  }
  gstlktest__all__free_unpacked (msg, NULL);
  assert_error ("{\"fFloat\":1e39}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fFloat: number 1e+39 out of range for float");
  assert_error ("{\"fDouble\":\"inf\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fDouble: invalid double \"inf\"");
  assert_error ("{\"fDouble\":[]}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fDouble: expected a number (double), got an array");
}

GST_END_TEST;

GST_START_TEST (test_bytes)
{
  Gstlktest__All *msg;

  /* standard or URL-safe alphabet, padding optional; standard out */
  msg = parse_all ("{\"fBytes\":\"-_8\",\"rBytes\":[\"+/8=\",\"YQ\",\"\"]}");
  fail_unless_equals_int (msg->f_bytes.len, 2);
  fail_unless (memcmp (msg->f_bytes.data, "\xfb\xff", 2) == 0);
  fail_unless_equals_int (msg->n_r_bytes, 3);
  fail_unless_equals_int (msg->r_bytes[1].len, 1);
  fail_unless_equals_int (msg->r_bytes[1].data[0], 'a');
  assert_json (msg,
      "{\"fBytes\":\"+/8=\",\"rBytes\":[\"+/8=\",\"YQ==\",\"\"]}");
  gstlktest__all__free_unpacked (msg, NULL);
  assert_error ("{\"fBytes\":\"a*b=\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fBytes: invalid base64");
  assert_error ("{\"fBytes\":\"YQ=\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fBytes: invalid base64");
  assert_error ("{\"fBytes\":\"Y\"}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "fBytes: invalid base64");
}

GST_END_TEST;

GST_START_TEST (test_maps)
{
  assert_normalises ("{\"mMsg\":{\"7\":{\"n\":1},\"-1\":{}},"
      "\"mEnum\":{\"false\":2},\"mBytes\":{\"1\":\"YQ==\"},"
      "\"mStr\":{\"a b\":\"\"}}",
      "{\"mStr\":{\"a b\":\"\"},\"mMsg\":{\"7\":{\"n\":1},\"-1\":{}},"
      "\"mEnum\":{\"false\":\"BLUE_SKY\"},\"mBytes\":{\"1\":\"YQ==\"}}");
  assert_error ("{\"mMsg\":{\"x\":{}}}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "mMsg[\"x\"]: invalid int32 \"x\"");
  assert_error ("{\"mEnum\":{\"yes\":1}}", GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "mEnum[\"yes\"]: invalid bool map key");
  assert_error ("{\"mStr\":{\"a\":null}}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "mStr[\"a\"]: null is not a valid map value");
  assert_error ("{\"mStr\":{\"a\":1}}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "mStr[\"a\"]: expected a string, got number 1");
  assert_error ("{\"mStr\":[]}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "mStr: expected an object (map), got an array");
}

GST_END_TEST;

GST_START_TEST (test_wrong_types)
{
  assert_error ("[]", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "expected an object (gstlktest.All), got an array");
  assert_error ("{\"fBool\":\"true\"}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fBool: expected true or false, got string \"true\"");
  assert_error ("{\"fString\":5}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fString: expected a string, got number 5");
  assert_error ("{\"fMsg\":\"x\"}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fMsg: expected an object (gstlktest.Inner), got string \"x\"");
  assert_error ("{\"rInt32\":5}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "rInt32: expected an array, got number 5");
  assert_error ("{\"rString\":[\"a\",null]}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "rString[1]: null is not a valid list element");
  assert_error ("{\"fBytes\":1}", GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
      "fBytes: expected a base64 string, got number 1");
}

GST_END_TEST;

GST_START_TEST (test_oneof_and_null)
{
  assert_error ("{\"oString\":\"a\",\"oInt32\":1}",
      GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
      "oInt32: \"oString\" is already set (same oneof)");
  /* null means "not set", for every kind of field */
  assert_normalises ("{\"fInt32\":null,\"fMsg\":null,\"rInt32\":null,"
      "\"mStr\":null,\"oString\":null,\"oInt32\":3}", "{\"oInt32\":3}");
}

GST_END_TEST;

GST_START_TEST (test_syntax)
{
  GString *deep = g_string_new ("{\"fMsg\":");
  gchar *msg;
  guint i;

  assert_error ("", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX, "empty JSON text");
  msg = parse_error ("{\"fInt32\":", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX);
  fail_unless (g_str_has_prefix (msg, "invalid JSON: "), "%s", msg);
  g_free (msg);
  assert_error ("{\"fString\":\"\xff\"}", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
      "JSON text is not UTF-8 (or contains a NUL byte)");
  /* json-glib would take an octal escape and make a string of bad UTF-8 */
  assert_error ("{\"fString\":\"\\700\"}", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
      "invalid JSON: bad escape in a string at byte 12");
  assert_normalises ("{\"fString\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"}",
      "{\"fString\":\"\\\"\\\\/\\b\\f\\n\\r\\t\u00e9\"}");
  assert_error ("{'fString':'a'}", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
      "invalid JSON: unexpected ''' at byte 1");
  assert_error ("{\"fInt32\":1 /* c */}", GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
      "invalid JSON: unexpected '/' at byte 12");
  /* deep nesting is refused before json-glib recurses into it */
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_error (deep->str, GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
      "JSON nests deeper than 100 levels");
  g_string_free (deep, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_encode_errors)
{
  Gstlktest__All msg = GSTLKTEST__ALL__INIT;
  Gstlktest__Inner inner = GSTLKTEST__INNER__INIT;
  Gstlktest__Inner *rmsg[] = { &inner };
  GError *err = NULL;

  inner.name = (char *) "bad\xc3(";
  msg.n_r_msg = 1;
  msg.r_msg = rmsg;
  fail_unless (gst_livekit_protojson_to_string (&msg.base, &err) == NULL);
  fail_unless (g_error_matches (err, GST_LIVEKIT_PROTOJSON_ERROR,
          GST_LIVEKIT_PROTOJSON_ERROR_ENCODE));
  fail_unless_equals_string (err->message,
      "rMsg[0].name: string is not valid UTF-8");
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_node_api)
{
  Gstlktest__All msg = GSTLKTEST__ALL__INIT;
  ProtobufCMessage *back;
  JsonNode *node;
  GError *err = NULL;

  msg.f_int32 = 3;
  node = gst_livekit_protojson_to_node (&msg.base, NULL);
  fail_unless (JSON_NODE_HOLDS_OBJECT (node));
  fail_unless_equals_int (json_object_get_int_member (json_node_get_object
          (node), "fInt32"), 3);
  back = gst_livekit_protojson_from_node (ALL_DESC, node, &err);
  fail_unless (back != NULL);
  fail_unless_equals_int (((Gstlktest__All *) back)->f_int32, 3);
  protobuf_c_message_free_unpacked (back, NULL);
  json_node_unref (node);
}

GST_END_TEST;

GST_START_TEST (test_ignore_unknown)
{
  const gchar *json = "{\"fInt32\":1,\"newField\":{\"x\":[1]},"
      "\"fEnum\":\"ULTRAVIOLET\",\"oEnum\":\"ULTRAVIOLET\","
      "\"rEnum\":[\"GREEN\",\"ULTRAVIOLET\",\"BLUE_SKY\"],"
      "\"mEnum\":{\"true\":\"ULTRAVIOLET\",\"false\":\"GREEN\"},"
      "\"rMsg\":[{\"n\":2,\"later\":true}]}";
  GError *err = NULL;
  Gstlktest__All *msg;

  /* strict by default */
  g_free (parse_error (json, GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD));

  msg = (Gstlktest__All *) gst_livekit_protojson_parse_full (ALL_DESC, json,
      -1, GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN, &err);
  fail_unless (msg != NULL, "%s", err ? err->message : "");
  /* unknown members and enum names are dropped, the rest is kept */
  assert_json (msg, "{\"fInt32\":1,\"rMsg\":[{\"n\":2}],"
      "\"rEnum\":[\"GREEN\",\"BLUE_SKY\"],\"mEnum\":{\"false\":\"GREEN\"}}");
  fail_unless_equals_int (msg->choice_case, GSTLKTEST__ALL__CHOICE__NOT_SET);
  gstlktest__all__free_unpacked (msg, NULL);
}

GST_END_TEST;

static Suite *
protojson_suite (void)
{
  Suite *s = suite_create ("protojson");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_every_kind_round_trip);
  tcase_add_test (tc, test_defaults_omitted);
  tcase_add_test (tc, test_names_in);
  tcase_add_test (tc, test_enums);
  tcase_add_test (tc, test_integers);
  tcase_add_test (tc, test_floats);
  tcase_add_test (tc, test_bytes);
  tcase_add_test (tc, test_maps);
  tcase_add_test (tc, test_wrong_types);
  tcase_add_test (tc, test_oneof_and_null);
  tcase_add_test (tc, test_syntax);
  tcase_add_test (tc, test_encode_errors);
  tcase_add_test (tc, test_node_api);
  tcase_add_test (tc, test_ignore_unknown);
  return s;
}

GST_CHECK_MAIN (protojson);
