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


/**
 * SECTION:gstlivekitprotojson
 * @title: proto3 JSON
 * @short_description: proto3 canonical JSON <-> protobuf-c messages
 *
 * One codec for every message of the schema, driven only by protobuf-c's
 * descriptors: field names are written in lowerCamelCase (the proto3 JSON
 * name) and read in lowerCamelCase or as the .proto spells them; enums are
 * written as names and read as names or numbers; 64-bit integers are
 * written as decimal strings and read as strings or numbers; bytes are
 * base64; a map (a repeated `XxxEntry` message with key = 1 and value = 2,
 * as protoc-c generates it) is a JSON object; fields with the default value
 * are left out, except members of a oneof (this includes the `oneof _x`
 * spelling of proto3 `optional`) and message fields, which are written
 * whenever they are set.
 *
 * Unknown members, values of the wrong JSON type, out-of-range numbers,
 * unknown enum names and a field given twice are errors in the
 * #GST_LIVEKIT_PROTOJSON_ERROR domain whose message starts with the JSON
 * path of the value, e.g. `fileOutputs[0].fileType: unknown enum value
 * "MP5"`.
 *
 * Messages returned by the parser are allocated with the system allocator
 * and freed with protobuf_c_message_free_unpacked (msg, NULL).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "protojson.h"
#include "proto.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

/* Deeper JSON is refused before json-glib sees it: its parser recurses
 * once per level and overflows the stack on very deep input. */
#define MAX_DEPTH 100

G_DEFINE_QUARK (gst-livekit-protojson-error-quark, gst_livekit_protojson_error);

typedef struct
{
  GString *path;                /* JSON path of the value being handled */
  guint depth;
  GError **error;
  GstLiveKitProtoJsonFlags flags;
  gboolean skip;                /* the value just read is to be dropped */
} Ctx;

static void set_error (Ctx * ctx, GstLiveKitProtoJsonError code,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);

static void
set_error (Ctx * ctx, GstLiveKitProtoJsonError code, const gchar * format,
    ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctx->path->len > 0)
    g_set_error (ctx->error, GST_LIVEKIT_PROTOJSON_ERROR, code, "%s: %s",
        ctx->path->str, msg);
  else
    g_set_error_literal (ctx->error, GST_LIVEKIT_PROTOJSON_ERROR, code, msg);
  g_free (msg);
}

static gsize
path_push_member (Ctx * ctx, const gchar * name)
{
  gsize len = ctx->path->len;

  if (len > 0)
    g_string_append_c (ctx->path, '.');
  g_string_append (ctx->path, name);
  return len;
}

static gsize
path_push_index (Ctx * ctx, guint i)
{
  gsize len = ctx->path->len;

  g_string_append_printf (ctx->path, "[%u]", i);
  return len;
}

static gsize
path_push_key (Ctx * ctx, const gchar * key)
{
  gsize len = ctx->path->len;

  g_string_append_printf (ctx->path, "[\"%s\"]", key);
  return len;
}

static void
path_pop (Ctx * ctx, gsize len)
{
  g_string_truncate (ctx->path, len);
}

/* ---- names ---- */

/* The proto3 JSON name of a field: underscores dropped, the letter after
 * each one upper-cased (protoc's rule; protobuf-c does not store it). */
gchar *
gst_livekit_protojson_json_name (const gchar * proto_name)
{
  GString *s = g_string_sized_new (strlen (proto_name));
  gboolean upper = FALSE;
  const gchar *p;

  for (p = proto_name; *p; p++) {
    if (*p == '_') {
      upper = TRUE;
      continue;
    }
    g_string_append_c (s, upper ? g_ascii_toupper (*p) : *p);
    upper = FALSE;
  }
  return g_string_free (s, FALSE);
}

static gboolean
json_name_equal (const gchar * proto_name, const gchar * key)
{
  gboolean upper = FALSE;
  const gchar *p;

  for (p = proto_name; *p; p++) {
    gchar c;

    if (*p == '_') {
      upper = TRUE;
      continue;
    }
    c = upper ? g_ascii_toupper (*p) : *p;
    upper = FALSE;
    if (*key != c)
      return FALSE;
    key++;
  }
  return *key == '\0';
}

static const ProtobufCFieldDescriptor *
find_field (const ProtobufCMessageDescriptor * desc, const gchar * key)
{
  guint i;

  for (i = 0; i < desc->n_fields; i++) {
    if (json_name_equal (desc->fields[i].name, key))
      return &desc->fields[i];
  }
  return protobuf_c_message_descriptor_get_field_by_name (desc, key);
}

static const ProtobufCFieldDescriptor *
find_field_by_id (const ProtobufCMessageDescriptor * desc, guint32 id)
{
  return protobuf_c_message_descriptor_get_field (desc, id);
}

/* The shortest %g spelling that reads back as the same double. */
static gchar *
format_double (gdouble d)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  gint prec;

  for (prec = 15; prec < 17; prec++) {
    gchar fmt[8];

    g_snprintf (fmt, sizeof (fmt), "%%.%dg", prec);
    g_ascii_formatd (buf, sizeof (buf), fmt, d);
    if (g_ascii_strtod (buf, NULL) == d)
      return g_strdup (buf);
  }
  return g_strdup (g_ascii_dtostr (buf, sizeof (buf), d));
}

/* A short description of a JSON value for error messages. */
static gchar *
describe_node (JsonNode * node)
{
  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
      break;
  }
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      return g_strdup_printf ("number %" G_GINT64_FORMAT,
          json_node_get_int (node));
    case G_TYPE_DOUBLE:{
      gchar *num = format_double (json_node_get_double (node));
      gchar *ret = g_strdup_printf ("number %s", num);

      g_free (num);
      return ret;
    }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_STRING:{
      const gchar *s = json_node_get_string (node);
      glong len = g_utf8_strlen (s, -1);

      if (len > 40) {
        gchar *head = g_utf8_substring (s, 0, 40);
        gchar *ret = g_strdup_printf ("string \"%s...\"", head);

        g_free (head);
        return ret;
      }
      return g_strdup_printf ("string \"%s\"", s);
    }
    default:
      return g_strdup ("a value");
  }
}

static void
type_error (Ctx * ctx, const gchar * expected, JsonNode * node)
{
  gchar *got = describe_node (node);

  set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_TYPE, "expected %s, got %s",
      expected, got);
  g_free (got);
}

static gboolean
node_is (JsonNode * node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) ==
      type;
}

/* ---- reading scalars ---- */

/* A JSON number spelled as a string: digits, sign, fraction, exponent and
 * nothing else (no blanks, no "inf", no hex). */
static gboolean
parse_number_string (const gchar * s, gboolean * integral, gint64 * ival,
    guint64 * uval, gboolean * negative, gdouble * dval)
{
  const gchar *p = s;
  gchar *end = NULL;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '\0') {
    *integral = TRUE;
    *negative = s[0] == '-';
    errno = 0;
    if (*negative)
      *ival = g_ascii_strtoll (s, &end, 10);
    else
      *uval = g_ascii_strtoull (s, &end, 10);
    return errno == 0 && end && *end == '\0';
  }
  if (*p == '.') {
    p++;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    while (g_ascii_isdigit (*p))
      p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    while (g_ascii_isdigit (*p))
      p++;
  }
  if (*p != '\0')
    return FALSE;
  *integral = FALSE;
  *dval = g_ascii_strtod (s, &end);
  return end && *end == '\0';
}

/* Reads an integral value (a number, or a string holding one) and checks
 * it against [min, max].  The result is in *ival when it is negative, in
 * *uval otherwise. */
static gboolean
read_integer (Ctx * ctx, JsonNode * node, const gchar * tname, gint64 min,
    guint64 max, gint64 * ival, guint64 * uval, gboolean * negative)
{
  gdouble d = 0;
  gboolean is_double = FALSE;

  if (node_is (node, G_TYPE_INT64)) {
    gint64 v = json_node_get_int (node);

    *negative = v < 0;
    if (*negative)
      *ival = v;
    else
      *uval = (guint64) v;
  } else if (node_is (node, G_TYPE_DOUBLE)) {
    d = json_node_get_double (node);
    is_double = TRUE;
  } else if (node_is (node, G_TYPE_STRING)) {
    gboolean integral;

    if (!parse_number_string (json_node_get_string (node), &integral, ival,
            uval, negative, &d)) {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "invalid %s \"%s\"", tname, json_node_get_string (node));
      return FALSE;
    }
    is_double = !integral;
  } else {
    gchar *expected = g_strdup_printf ("an integer (%s)", tname);

    type_error (ctx, expected, node);
    g_free (expected);
    return FALSE;
  }

  if (is_double) {
    if (!isfinite (d) || d != floor (d)) {
      gchar *num = format_double (d);

      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "%s is not an integer (%s)", num, tname);
      g_free (num);
      return FALSE;
    }
    if (d < 0) {
      if (d < -9223372036854775808.0)
        goto out_of_range;
      *negative = TRUE;
      *ival = (gint64) d;
    } else {
      if (d >= 18446744073709551616.0)
        goto out_of_range;
      *negative = FALSE;
      *uval = (guint64) d;
    }
  }

  if (*negative ? *ival < min : *uval > max)
    goto out_of_range;
  return TRUE;

out_of_range:
  {
    gchar *got = describe_node (node);

    set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
        "%s out of range for %s", got, tname);
    g_free (got);
    return FALSE;
  }
}

static gboolean
read_float (Ctx * ctx, JsonNode * node, gboolean is_float, gdouble * out)
{
  const gchar *tname = is_float ? "float" : "double";
  gdouble d;

  if (node_is (node, G_TYPE_INT64)) {
    d = (gdouble) json_node_get_int (node);
  } else if (node_is (node, G_TYPE_DOUBLE)) {
    d = json_node_get_double (node);
  } else if (node_is (node, G_TYPE_STRING)) {
    const gchar *s = json_node_get_string (node);
    gboolean integral, negative;
    gint64 iv;
    guint64 uv;

    if (strcmp (s, "NaN") == 0) {
      *out = NAN;
      return TRUE;
    } else if (strcmp (s, "Infinity") == 0) {
      *out = INFINITY;
      return TRUE;
    } else if (strcmp (s, "-Infinity") == 0) {
      *out = -INFINITY;
      return TRUE;
    }
    if (!parse_number_string (s, &integral, &iv, &uv, &negative, &d)) {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE, "invalid %s \"%s\"",
          tname, s);
      return FALSE;
    }
    if (integral)
      d = g_ascii_strtod (s, NULL);
  } else {
    gchar *expected = g_strdup_printf ("a number (%s)", tname);

    type_error (ctx, expected, node);
    g_free (expected);
    return FALSE;
  }
  if (!isfinite (d) || (is_float && fabs (d) > FLT_MAX)) {
    gchar *got = describe_node (node);

    set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
        "%s out of range for %s", got, tname);
    g_free (got);
    return FALSE;
  }
  *out = d;
  return TRUE;
}

static gint
b64_value (gchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/* Standard or URL-safe base64, padding optional (what proto3 JSON
 * parsers accept).  GLib's decoder skips invalid characters silently, so
 * this one is strict. */
static gboolean
decode_base64 (const gchar * s, guint8 ** out, gsize * out_len)
{
  gsize len = strlen (s), i, o = 0;
  guint32 acc = 0;
  guint bits = 0;
  guint8 *buf;

  /* padding, when present, completes a group of four */
  if (len > 0 && s[len - 1] == '=') {
    if (len % 4 != 0)
      return FALSE;
    len--;
    if (len > 0 && s[len - 1] == '=')
      len--;
  }
  if (len % 4 == 1)
    return FALSE;
  buf = g_malloc (len / 4 * 3 + 3);
  for (i = 0; i < len; i++) {
    gint v = b64_value (s[i]);

    if (v < 0) {
      g_free (buf);
      return FALSE;
    }
    acc = (acc << 6) | (guint32) v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      buf[o++] = (acc >> bits) & 0xff;
    }
  }
  *out = buf;
  *out_len = o;
  return TRUE;
}

/* ---- JSON -> message ---- */

static ProtobufCMessage *parse_message (Ctx * ctx,
    const ProtobufCMessageDescriptor * desc, JsonNode * node);

static gboolean
read_enum (Ctx * ctx, JsonNode * node, const ProtobufCEnumDescriptor * ed,
    gint32 * out)
{
  if (node_is (node, G_TYPE_STRING)) {
    const ProtobufCEnumValue *ev =
        protobuf_c_enum_descriptor_get_value_by_name (ed,
        json_node_get_string (node));

    if (!ev && (ctx->flags & GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN)) {
      /* a name from a newer schema: the value is left out */
      *out = 0;
      ctx->skip = TRUE;
      return TRUE;
    }
    if (!ev) {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "unknown enum value \"%s\" (%s)", json_node_get_string (node),
          ed->name);
      return FALSE;
    }
    *out = ev->value;
    return TRUE;
  }
  if (node_is (node, G_TYPE_INT64) || node_is (node, G_TYPE_DOUBLE)) {
    gint64 iv;
    guint64 uv;
    gboolean neg;

    if (!read_integer (ctx, node, ed->name, G_MININT32, G_MAXINT32, &iv, &uv,
            &neg))
      return FALSE;
    *out = neg ? (gint32) iv : (gint32) uv;
    return TRUE;
  }
  {
    gchar *expected = g_strdup_printf ("an enum name or number (%s)",
        ed->name);

    type_error (ctx, expected, node);
    g_free (expected);
  }
  return FALSE;
}

/* Reads one value of type f->type into dst, the storage of one element.
 * Either succeeds, or fails leaving dst untouched and nothing allocated. */
static gboolean
read_value (Ctx * ctx, const ProtobufCFieldDescriptor * f, JsonNode * node,
    void *dst)
{
  gint64 iv = 0;
  guint64 uv = 0;
  gboolean neg = FALSE;
  gdouble d;

  switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
      if (!read_integer (ctx, node, gst_livekit_proto_type_name (f->type), G_MININT32,
              G_MAXINT32, &iv, &uv, &neg))
        return FALSE;
      *(gint32 *) dst = neg ? (gint32) iv : (gint32) uv;
      return TRUE;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
      if (!read_integer (ctx, node, gst_livekit_proto_type_name (f->type), G_MININT64,
              G_MAXINT64, &iv, &uv, &neg))
        return FALSE;
      *(gint64 *) dst = neg ? iv : (gint64) uv;
      return TRUE;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
      if (!read_integer (ctx, node, gst_livekit_proto_type_name (f->type), 0, G_MAXUINT32,
              &iv, &uv, &neg))
        return FALSE;
      *(guint32 *) dst = (guint32) uv;
      return TRUE;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
      if (!read_integer (ctx, node, gst_livekit_proto_type_name (f->type), 0, G_MAXUINT64,
              &iv, &uv, &neg))
        return FALSE;
      *(guint64 *) dst = uv;
      return TRUE;
    case PROTOBUF_C_TYPE_FLOAT:
      if (!read_float (ctx, node, TRUE, &d))
        return FALSE;
      *(float *) dst = (float) d;
      return TRUE;
    case PROTOBUF_C_TYPE_DOUBLE:
      if (!read_float (ctx, node, FALSE, &d))
        return FALSE;
      *(double *) dst = d;
      return TRUE;
    case PROTOBUF_C_TYPE_BOOL:
      if (!node_is (node, G_TYPE_BOOLEAN)) {
        type_error (ctx, "true or false", node);
        return FALSE;
      }
      *(protobuf_c_boolean *) dst = json_node_get_boolean (node);
      return TRUE;
    case PROTOBUF_C_TYPE_ENUM:
      return read_enum (ctx, node, f->descriptor, (gint32 *) dst);
    case PROTOBUF_C_TYPE_STRING:
      if (!node_is (node, G_TYPE_STRING)) {
        type_error (ctx, "a string", node);
        return FALSE;
      }
      if (!g_utf8_validate (json_node_get_string (node), -1, NULL)) {
        set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
            "string is not valid UTF-8");
        return FALSE;
      }
      *(gchar **) dst = g_strdup (json_node_get_string (node));
      return TRUE;
    case PROTOBUF_C_TYPE_BYTES:{
      ProtobufCBinaryData *bd = dst;
      guint8 *data;
      gsize len;

      if (!node_is (node, G_TYPE_STRING)) {
        type_error (ctx, "a base64 string", node);
        return FALSE;
      }
      if (!decode_base64 (json_node_get_string (node), &data, &len)) {
        set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE, "invalid base64");
        return FALSE;
      }
      if (len == 0)
        g_clear_pointer (&data, g_free);
      bd->data = data;
      bd->len = len;
      return TRUE;
    }
    case PROTOBUF_C_TYPE_MESSAGE:{
      ProtobufCMessage *sub = parse_message (ctx, f->descriptor, node);

      if (!sub)
        return FALSE;
      /* what was dropped inside does not drop the message */
      ctx->skip = FALSE;
      *(ProtobufCMessage **) dst = sub;
      return TRUE;
    }
  }
  g_assert_not_reached ();
  return FALSE;
}

static gsize
element_size (ProtobufCType type)
{
  switch (type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_ENUM:
      return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
      return 8;
    case PROTOBUF_C_TYPE_BOOL:
      return sizeof (protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
      return sizeof (gchar *);
    case PROTOBUF_C_TYPE_BYTES:
      return sizeof (ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
      return sizeof (ProtobufCMessage *);
  }
  g_assert_not_reached ();
  return 0;
}

static ProtobufCMessage *
new_message (const ProtobufCMessageDescriptor * desc)
{
  /* GLib allocates with the system malloc (since 2.46), which is what
   * protobuf-c's default allocator frees with. */
  ProtobufCMessage *msg = g_malloc0 (desc->sizeof_message);

  protobuf_c_message_init (desc, msg);
  return msg;
}

static gboolean
read_map_entry (Ctx * ctx, const ProtobufCMessageDescriptor * edesc,
    const gchar * key, JsonNode * value, ProtobufCMessage ** out)
{
  const ProtobufCFieldDescriptor *kf = &edesc->fields[0];
  const ProtobufCFieldDescriptor *vf = &edesc->fields[1];
  ProtobufCMessage *entry;
  guint8 *base;
  gboolean ok;

  if (JSON_NODE_HOLDS_NULL (value)) {
    set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
        "null is not a valid map value");
    return FALSE;
  }
  entry = new_message (edesc);
  base = (guint8 *) entry;
  if (kf->type == PROTOBUF_C_TYPE_BOOL) {
    if (strcmp (key, "true") == 0 || strcmp (key, "false") == 0) {
      *(protobuf_c_boolean *) (base + kf->offset) = key[0] == 't';
      ok = TRUE;
    } else {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "invalid bool map key");
      ok = FALSE;
    }
  } else {
    JsonNode *knode = json_node_init_string (json_node_alloc (), key);

    /* a string key replaces the empty default string, never freed */
    ok = read_value (ctx, kf, knode, base + kf->offset);
    json_node_unref (knode);
  }
  ctx->skip = FALSE;
  if (ok)
    ok = read_value (ctx, vf, value, base + vf->offset);
  if (!ok || ctx->skip) {
    protobuf_c_message_free_unpacked (entry, NULL);
    *out = NULL;
    return ok;
  }
  *out = entry;
  return TRUE;
}

static gboolean
read_field (Ctx * ctx, const ProtobufCMessageDescriptor * desc,
    ProtobufCMessage * msg, const ProtobufCFieldDescriptor * f,
    JsonNode * node)
{
  guint8 *base = (guint8 *) msg;
  void *member = base + f->offset;

  if (f->label == PROTOBUF_C_LABEL_REPEATED) {
    size_t *count = (size_t *) (base + f->quantifier_offset);

    if (JSON_NODE_HOLDS_NULL (node))
      return TRUE;

    if (gst_livekit_proto_field_is_map (desc, f)) {
      JsonObject *obj;
      GList *members, *l;
      ProtobufCMessage **entries;
      gboolean ok = TRUE;

      if (!JSON_NODE_HOLDS_OBJECT (node)) {
        type_error (ctx, "an object (map)", node);
        return FALSE;
      }
      obj = json_node_get_object (node);
      members = json_object_get_members (obj);
      entries = g_new0 (ProtobufCMessage *, MAX (json_object_get_size (obj),
              1));
      *(ProtobufCMessage ***) member = entries;
      for (l = members; l && ok; l = l->next) {
        const gchar *key = l->data;
        gsize mark = path_push_key (ctx, key);

        ok = read_map_entry (ctx, f->descriptor, key,
            json_object_get_member (obj, key), &entries[*count]);
        if (ok && entries[*count])
          (*count)++;
        path_pop (ctx, mark);
      }
      g_list_free (members);
      return ok;
    } else {
      JsonArray *arr;
      guint i, n;
      gsize esize = element_size (f->type);
      guint8 *elems;

      if (!JSON_NODE_HOLDS_ARRAY (node)) {
        type_error (ctx, "an array", node);
        return FALSE;
      }
      arr = json_node_get_array (node);
      n = json_array_get_length (arr);
      if (n == 0)
        return TRUE;
      elems = g_malloc0 (esize * n);
      *(void **) member = elems;
      for (i = 0; i < n; i++) {
        JsonNode *el = json_array_get_element (arr, i);
        gsize mark = path_push_index (ctx, i);
        gboolean ok;

        if (JSON_NODE_HOLDS_NULL (el)) {
          set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
              "null is not a valid list element");
          ok = FALSE;
        } else {
          ctx->skip = FALSE;
          ok = read_value (ctx, f, el, elems + esize * (*count));
        }
        path_pop (ctx, mark);
        if (!ok)
          return FALSE;
        if (!ctx->skip)
          (*count)++;
      }
      return TRUE;
    }
  }

  /* null means "not set" for a singular field */
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
    guint32 *oneof_case = (guint32 *) (base + f->quantifier_offset);

    if (*oneof_case != 0) {
      const ProtobufCFieldDescriptor *other =
          find_field_by_id (desc, *oneof_case);
      gchar *other_name =
          gst_livekit_protojson_json_name (other ? other->name : "?");

      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "\"%s\" is already set (same oneof)", other_name);
      g_free (other_name);
      return FALSE;
    }
    ctx->skip = FALSE;
    if (!read_value (ctx, f, node, member))
      return FALSE;
    if (!ctx->skip)
      *oneof_case = f->id;
    return TRUE;
  }

  ctx->skip = FALSE;
  if (!read_value (ctx, f, node, member))
    return FALSE;
  if (ctx->skip)
    return TRUE;
  if (f->label == PROTOBUF_C_LABEL_OPTIONAL
      && f->type != PROTOBUF_C_TYPE_STRING
      && f->type != PROTOBUF_C_TYPE_MESSAGE)
    *(protobuf_c_boolean *) (base + f->quantifier_offset) = TRUE;
  return TRUE;
}

static ProtobufCMessage *
parse_message (Ctx * ctx, const ProtobufCMessageDescriptor * desc,
    JsonNode * node)
{
  ProtobufCMessage *msg;
  JsonObject *obj;
  GList *members, *l;
  guint8 *seen;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    gchar *expected = g_strdup_printf ("an object (%s)", desc->name);

    type_error (ctx, expected, node);
    g_free (expected);
    return NULL;
  }
  if (ctx->depth >= MAX_DEPTH) {
    set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
        "messages nest deeper than %d levels", MAX_DEPTH);
    return NULL;
  }
  ctx->depth++;

  msg = new_message (desc);
  obj = json_node_get_object (node);
  members = json_object_get_members (obj);
  seen = g_malloc0 (desc->n_fields + 1);
  for (l = members; l && ok; l = l->next) {
    const gchar *key = l->data;
    const ProtobufCFieldDescriptor *f = find_field (desc, key);
    gsize mark = path_push_member (ctx, key);

    if (!f && (ctx->flags & GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN)) {
      ok = TRUE;
    } else if (!f) {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD,
          "unknown field (%s has no such field)", desc->name);
      ok = FALSE;
    } else if (seen[f - desc->fields]) {
      set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
          "field \"%s\" given twice", f->name);
      ok = FALSE;
    } else {
      seen[f - desc->fields] = 1;
      ok = read_field (ctx, desc, msg, f, json_object_get_member (obj, key));
    }
    path_pop (ctx, mark);
  }
  g_list_free (members);
  g_free (seen);
  ctx->depth--;

  if (!ok) {
    protobuf_c_message_free_unpacked (msg, NULL);
    return NULL;
  }
  return msg;
}

/**
 * gst_livekit_protojson_from_node:
 * @desc: the message type
 * @node: a JSON object
 * @error: return location for a #GError
 *
 * Converts a JSON object to a message of type @desc.
 *
 * Returns: (transfer full) (nullable): the message (free with
 *     protobuf_c_message_free_unpacked (msg, NULL)), or %NULL with @error
 *     set.
 */
ProtobufCMessage *
gst_livekit_protojson_from_node (const ProtobufCMessageDescriptor * desc,
    JsonNode * node, GError ** error)
{
  return gst_livekit_protojson_from_node_full (desc, node,
      GST_LIVEKIT_PROTOJSON_FLAG_NONE, error);
}

/**
 * gst_livekit_protojson_from_node_full:
 * @desc: the message type
 * @node: a JSON object
 * @flags: #GstLiveKitProtoJsonFlags
 * @error: return location for a #GError
 *
 * Like gst_livekit_protojson_from_node(), with @flags.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error
 *     set.
 */
ProtobufCMessage *
gst_livekit_protojson_from_node_full (const ProtobufCMessageDescriptor * desc,
    JsonNode * node, GstLiveKitProtoJsonFlags flags, GError ** error)
{
  Ctx ctx = { NULL, 0, error, flags, FALSE };
  ProtobufCMessage *msg;

  g_return_val_if_fail (desc != NULL, NULL);
  g_return_val_if_fail (desc->magic == PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
      NULL);
  g_return_val_if_fail (node != NULL, NULL);

  ctx.path = g_string_new (NULL);
  msg = parse_message (&ctx, desc, node);
  g_string_free (ctx.path, TRUE);
  return msg;
}

/* What json-glib 1.6 does not check itself: nesting depth (its parser
 * recurses once per level and overflows the stack on deep input) and
 * what GScanner takes beyond JSON: \NNN octal and other escapes (which
 * can yield bytes that are not UTF-8), single-quoted strings and comments.
 * Only JSON passes. */
static gboolean
check_text (const gchar * json, gsize len, GError ** error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gsize i;

  for (i = 0; i < len; i++) {
    gchar c = json[i];

    if (in_string) {
      if (c == '\\') {
        if (i + 1 >= len || json[i + 1] == '\0'
            || !strchr ("\"\\/bfnrtu", json[i + 1])) {
          g_set_error (error, GST_LIVEKIT_PROTOJSON_ERROR,
              GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
              "invalid JSON: bad escape in a string at byte %" G_GSIZE_FORMAT,
              i);
          return FALSE;
        }
        i++;
      } else if (c == '"') {
        in_string = FALSE;
      }
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '\'' || c == '/') {
      /* single-quoted strings and comments, which GScanner takes */
      g_set_error (error, GST_LIVEKIT_PROTOJSON_ERROR,
          GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
          "invalid JSON: unexpected '%c' at byte %" G_GSIZE_FORMAT, c, i);
      return FALSE;
    } else if (c == '[' || c == '{') {
      if (++depth > MAX_DEPTH) {
        g_set_error (error, GST_LIVEKIT_PROTOJSON_ERROR,
            GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
            "JSON nests deeper than %d levels", MAX_DEPTH);
        return FALSE;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}

/**
 * gst_livekit_protojson_parse:
 * @desc: the message type
 * @json: JSON text (UTF-8)
 * @len: length of @json in bytes, or -1 when NUL-terminated
 * @error: return location for a #GError
 *
 * Parses proto3 JSON into a message of type @desc.
 *
 * Returns: (transfer full) (nullable): the message (free with
 *     protobuf_c_message_free_unpacked (msg, NULL)), or %NULL with @error
 *     set.
 */
ProtobufCMessage *
gst_livekit_protojson_parse (const ProtobufCMessageDescriptor * desc,
    const gchar * json, gssize len, GError ** error)
{
  return gst_livekit_protojson_parse_full (desc, json, len,
      GST_LIVEKIT_PROTOJSON_FLAG_NONE, error);
}

/**
 * gst_livekit_protojson_parse_full:
 * @desc: the message type
 * @json: JSON text (UTF-8)
 * @len: length of @json in bytes, or -1 when NUL-terminated
 * @flags: #GstLiveKitProtoJsonFlags
 * @error: return location for a #GError
 *
 * Like gst_livekit_protojson_parse(), with @flags: a client reading what
 * a newer server sends passes %GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error
 *     set.
 */
ProtobufCMessage *
gst_livekit_protojson_parse_full (const ProtobufCMessageDescriptor * desc,
    const gchar * json, gssize len, GstLiveKitProtoJsonFlags flags,
    GError ** error)
{
  JsonParser *parser;
  GError *err = NULL;
  JsonNode *root;
  ProtobufCMessage *msg = NULL;

  g_return_val_if_fail (desc != NULL, NULL);
  g_return_val_if_fail (json != NULL, NULL);

  if (len < 0)
    len = strlen (json);
  if (!g_utf8_validate (json, len, NULL)) {
    g_set_error_literal (error, GST_LIVEKIT_PROTOJSON_ERROR,
        GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
        "JSON text is not UTF-8 (or contains a NUL byte)");
    return NULL;
  }
  if (!check_text (json, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, &err)) {
    g_set_error (error, GST_LIVEKIT_PROTOJSON_ERROR,
        GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX, "invalid JSON: %s", err->message);
    g_error_free (err);
    goto out;
  }
  root = json_parser_get_root (parser);
  if (!root) {
    g_set_error_literal (error, GST_LIVEKIT_PROTOJSON_ERROR,
        GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX, "empty JSON text");
    goto out;
  }
  msg = gst_livekit_protojson_from_node_full (desc, root, flags, error);

out:
  g_object_unref (parser);
  return msg;
}

/* ---- message -> JSON ---- */

static JsonNode *message_to_node (Ctx * ctx, const ProtobufCMessage * msg);

static JsonNode *
float_to_node (gdouble d)
{
  if (isnan (d))
    return json_node_init_string (json_node_alloc (), "NaN");
  if (isinf (d))
    return json_node_init_string (json_node_alloc (),
        d > 0 ? "Infinity" : "-Infinity");
  return json_node_init_double (json_node_alloc (), d);
}

static JsonNode *
value_to_node (Ctx * ctx, const ProtobufCFieldDescriptor * f,
    const void *p)
{
  gchar *s;

  switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
      return json_node_init_int (json_node_alloc (), *(const gint32 *) p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
      return json_node_init_int (json_node_alloc (), *(const guint32 *) p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
      s = g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) p);
      goto string_node;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
      s = g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) p);
      goto string_node;
    case PROTOBUF_C_TYPE_FLOAT:
      return float_to_node (*(const float *) p);
    case PROTOBUF_C_TYPE_DOUBLE:
      return float_to_node (*(const double *) p);
    case PROTOBUF_C_TYPE_BOOL:
      return json_node_init_boolean (json_node_alloc (),
          *(const protobuf_c_boolean *) p != 0);
    case PROTOBUF_C_TYPE_ENUM:{
      gint32 v = *(const gint32 *) p;
      const ProtobufCEnumValue *ev =
          protobuf_c_enum_descriptor_get_value (f->descriptor, v);

      /* a number this schema does not know is written as a number */
      if (ev)
        return json_node_init_string (json_node_alloc (), ev->name);
      return json_node_init_int (json_node_alloc (), v);
    }
    case PROTOBUF_C_TYPE_STRING:{
      const gchar *str = *(const gchar * const *) p;

      if (!str)
        str = "";
      if (!g_utf8_validate (str, -1, NULL)) {
        set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_ENCODE,
            "string is not valid UTF-8");
        return NULL;
      }
      return json_node_init_string (json_node_alloc (), str);
    }
    case PROTOBUF_C_TYPE_BYTES:{
      const ProtobufCBinaryData *bd = p;

      s = bd->len ? g_base64_encode (bd->data, bd->len) : g_strdup ("");
      goto string_node;
    }
    case PROTOBUF_C_TYPE_MESSAGE:{
      const ProtobufCMessage *sub = *(ProtobufCMessage * const *) p;

      if (!sub) {
        JsonObject *obj = json_object_new ();
        JsonNode *node = json_node_init_object (json_node_alloc (), obj);

        json_object_unref (obj);
        return node;
      }
      return message_to_node (ctx, sub);
    }
  }
  g_assert_not_reached ();
  return NULL;

string_node:
  {
    JsonNode *node = json_node_init_string (json_node_alloc (), s);

    g_free (s);
    return node;
  }
}

static gboolean
is_default (const ProtobufCFieldDescriptor * f, const void *p)
{
  switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM:
      return *(const guint32 *) p == 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
      return *(const guint64 *) p == 0;
    case PROTOBUF_C_TYPE_FLOAT:
      return *(const float *) p == 0 && !signbit (*(const float *) p);
    case PROTOBUF_C_TYPE_DOUBLE:
      return *(const double *) p == 0 && !signbit (*(const double *) p);
    case PROTOBUF_C_TYPE_BOOL:
      return !*(const protobuf_c_boolean *) p;
    case PROTOBUF_C_TYPE_STRING:{
      const gchar *s = *(const gchar * const *) p;

      return !s || !*s;
    }
    case PROTOBUF_C_TYPE_BYTES:
      return ((const ProtobufCBinaryData *) p)->len == 0;
    case PROTOBUF_C_TYPE_MESSAGE:
      /* proto3 message fields have presence: written when set */
      return *(ProtobufCMessage * const *) p == NULL;
  }
  return TRUE;
}

static gchar *
map_key_string (const ProtobufCFieldDescriptor * kf, const void *p)
{
  switch (kf->type) {
    case PROTOBUF_C_TYPE_BOOL:
      return g_strdup (*(const protobuf_c_boolean *) p ? "true" : "false");
    case PROTOBUF_C_TYPE_STRING:{
      const gchar *s = *(const gchar * const *) p;

      return g_strdup (s ? s : "");
    }
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
      return g_strdup_printf ("%d", *(const gint32 *) p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
      return g_strdup_printf ("%u", *(const guint32 *) p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) p);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) p);
    default:
      return NULL;
  }
}

static JsonNode *
field_to_node (Ctx * ctx, const ProtobufCMessage * msg,
    const ProtobufCFieldDescriptor * f)
{
  const ProtobufCMessageDescriptor *desc = msg->descriptor;
  const guint8 *base = (const guint8 *) msg;
  const void *member = base + f->offset;
  size_t i, n;

  if (f->label != PROTOBUF_C_LABEL_REPEATED)
    return value_to_node (ctx, f, member);

  n = *(const size_t *) (base + f->quantifier_offset);
  if (gst_livekit_proto_field_is_map (desc, f)) {
    const ProtobufCMessageDescriptor *edesc = f->descriptor;
    ProtobufCMessage *const *entries = *(ProtobufCMessage * const *const *)
        member;
    JsonObject *obj = json_object_new ();
    JsonNode *node = json_node_init_object (json_node_alloc (), obj);

    json_object_unref (obj);
    for (i = 0; i < n; i++) {
      const guint8 *ebase = (const guint8 *) entries[i];
      gchar *key;
      JsonNode *value;
      gsize mark;

      if (!ebase)
        continue;
      key = map_key_string (&edesc->fields[0], ebase + edesc->fields[0].offset);
      if (!key || !g_utf8_validate (key, -1, NULL)) {
        set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_ENCODE,
            "map key is not valid UTF-8");
        g_free (key);
        json_node_unref (node);
        return NULL;
      }
      mark = path_push_key (ctx, key);
      value = value_to_node (ctx, &edesc->fields[1],
          ebase + edesc->fields[1].offset);
      path_pop (ctx, mark);
      if (!value) {
        g_free (key);
        json_node_unref (node);
        return NULL;
      }
      json_object_set_member (obj, key, value);
      g_free (key);
    }
    return node;
  } else {
    const guint8 *elems = *(const guint8 * const *) member;
    gsize esize = element_size (f->type);
    JsonArray *arr = json_array_sized_new (n);
    JsonNode *node = json_node_init_array (json_node_alloc (), arr);

    json_array_unref (arr);
    for (i = 0; i < n; i++) {
      gsize mark = path_push_index (ctx, i);
      JsonNode *el = value_to_node (ctx, f, elems + esize * i);

      path_pop (ctx, mark);
      if (!el) {
        json_node_unref (node);
        return NULL;
      }
      json_array_add_element (arr, el);
    }
    return node;
  }
}

static gboolean
field_is_set (const ProtobufCMessage * msg, const ProtobufCFieldDescriptor * f)
{
  const guint8 *base = (const guint8 *) msg;
  const void *member = base + f->offset;

  if (f->label == PROTOBUF_C_LABEL_REPEATED)
    return *(const size_t *) (base + f->quantifier_offset) > 0;
  if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
    return *(const guint32 *) (base + f->quantifier_offset) == f->id;
  if (f->label == PROTOBUF_C_LABEL_OPTIONAL) {
    if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
      return *(void *const *) member != NULL;
    return *(const protobuf_c_boolean *) (base + f->quantifier_offset);
  }
  if (f->label == PROTOBUF_C_LABEL_REQUIRED)
    return TRUE;
  return !is_default (f, member);
}

static JsonNode *
message_to_node (Ctx * ctx, const ProtobufCMessage * msg)
{
  const ProtobufCMessageDescriptor *desc = msg->descriptor;
  JsonObject *obj;
  JsonNode *node;
  guint i;

  if (ctx->depth >= MAX_DEPTH) {
    set_error (ctx, GST_LIVEKIT_PROTOJSON_ERROR_ENCODE,
        "messages nest deeper than %d levels", MAX_DEPTH);
    return NULL;
  }
  ctx->depth++;

  obj = json_object_new ();
  node = json_node_init_object (json_node_alloc (), obj);
  json_object_unref (obj);
  for (i = 0; i < desc->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &desc->fields[i];
    gchar *name;
    JsonNode *value;
    gsize mark;

    if (!field_is_set (msg, f))
      continue;
    name = gst_livekit_protojson_json_name (f->name);
    mark = path_push_member (ctx, name);
    value = field_to_node (ctx, msg, f);
    path_pop (ctx, mark);
    if (!value) {
      g_free (name);
      json_node_unref (node);
      node = NULL;
      break;
    }
    json_object_set_member (obj, name, value);
    g_free (name);
  }
  ctx->depth--;
  return node;
}

/**
 * gst_livekit_protojson_to_node:
 * @msg: a message
 * @error: return location for a #GError
 *
 * Converts @msg to its proto3 JSON object.
 *
 * Returns: (transfer full) (nullable): a JSON object node, or %NULL with
 *     @error set (a string that is not UTF-8).
 */
JsonNode *
gst_livekit_protojson_to_node (const ProtobufCMessage * msg, GError ** error)
{
  Ctx ctx = { NULL, 0, error, GST_LIVEKIT_PROTOJSON_FLAG_NONE, FALSE };
  JsonNode *node;

  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (msg->descriptor != NULL, NULL);

  ctx.path = g_string_new (NULL);
  node = message_to_node (&ctx, msg);
  g_string_free (ctx.path, TRUE);
  return node;
}

/**
 * gst_livekit_protojson_to_string:
 * @msg: a message
 * @error: return location for a #GError
 *
 * Writes @msg as compact proto3 JSON.
 *
 * Returns: (transfer full) (nullable): the JSON text, or %NULL with @error
 *     set.
 */
gchar *
gst_livekit_protojson_to_string (const ProtobufCMessage * msg, GError ** error)
{
  JsonNode *node = gst_livekit_protojson_to_node (msg, error);
  JsonGenerator *gen;
  gchar *text;

  if (!node)
    return NULL;
  gen = json_generator_new ();
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_object_unref (gen);
  json_node_unref (node);
  return text;
}
