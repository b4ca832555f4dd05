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
 * SECTION:element-egresscompositor
 * @title: egresscompositor
 *
 * Composes the participants of a room into one of LiveKit's layouts
 * (`grid`, `speaker`, `single-speaker`, each also as `-light` and `-dark`;
 * dark by default) and mixes their audio.  It is a bin around compositor
 * and audiomixer: request pads `video_%u` and `audio_%u` carry participant
 * metadata as pad properties (participant-identity, participant-name,
 * participant-sid, source, speaking, audio-level, muted, joined-at), and the
 * `video` and `audio` source pads output I420 at #GstEgressCompositor:width
 * x #GstEgressCompositor:height and #GstEgressCompositor:framerate, and
 * interleaved S16LE at #GstEgressCompositor:audio-rate.
 *
 * As in the template, a camera in landscape fills its tile, cropped
 * (CSS object-fit: cover), and a screen share or a portrait video is fitted
 * inside its tile (object-fit: contain).
 *
 * Name labels, placeholder tiles for participants without video and the
 * active speaker's border are drawn by overlaycomposition in I420; there
 * is no RGB conversion of the video.  A live background source keeps both
 * outputs running when no input has data.  The layout can change in
 * PLAYING: the new geometry is applied between two output frames.
 *
 * When every request pad still present has received EOS, both outputs end
 * with EOS; with no request pads the outputs continue.  An EOS event sent
 * to the element ends both outputs at once.
 *
 * A pad linked to a livekitroomsrc pad copies that pad's
 * participant-identity, participant-sid, participant-name, source and muted
 * properties (and follows muted), and the element follows the source's
 * `livekit-active-speakers` events.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e egresscompositor name=c layout=grid \
 *     video_0::participant-name=Alice video_1::participant-name=Bob \
 *   videotestsrc is-live=true num-buffers=150 ! c.video_0 \
 *   videotestsrc is-live=true num-buffers=150 pattern=ball ! c.video_1 \
 *   audiotestsrc is-live=true num-buffers=250 ! c.audio_0 \
 *   c.video ! queue ! x264enc speed-preset=veryfast ! mp4mux name=m ! \
 *     filesink location=grid.mp4 \
 *   c.audio ! queue ! audioconvert ! avenc_aac ! m.
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <math.h>

#include <gst/video/video.h>
#include <pango/pangocairo.h>

#include "gstegresscompositor.h"
#include "gstegresscompositorelements.h"
#include "gstegresslayout.h"

GST_DEBUG_CATEGORY_STATIC (egress_compositor_debug);
#define GST_CAT_DEFAULT egress_compositor_debug

#define DEFAULT_WIDTH 1280
#define DEFAULT_HEIGHT 720
#define DEFAULT_FPS_N 30
#define DEFAULT_FPS_D 1
#define DEFAULT_LAYOUT GST_EGRESS_COMPOSITOR_LAYOUT_GRID
#define DEFAULT_LATENCY (200 * GST_MSECOND)
#define DEFAULT_AUDIO_RATE 48000
#define DEFAULT_AUDIO_CHANNELS 2

enum
{
  PROP_0,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FRAMERATE,
  PROP_LAYOUT,
  PROP_LATENCY,
  PROP_AUDIO_RATE,
  PROP_AUDIO_CHANNELS,
};

enum
{
  PAD_PROP_0,
  PAD_PROP_IDENTITY,
  PAD_PROP_NAME,
  PAD_PROP_SID,
  PAD_PROP_SOURCE,
  PAD_PROP_SPEAKING,
  PAD_PROP_AUDIO_LEVEL,
  PAD_PROP_MUTED,
  PAD_PROP_JOINED_AT,
};

enum
{
  SIGNAL_LINK_LIVEKIT_PAD,
  SIGNAL_UPDATE_SPEAKERS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _GstEgressCompositorPad
{
  GstGhostPad parent;

  /* properties, under GST_OBJECT_LOCK (pad) */
  gchar *identity;
  gchar *name;
  gchar *sid;
  GstEgressCompositorSource source;
  gboolean speaking;
  gdouble audio_level;
  gboolean muted;
  guint64 joined_at;

  /* set at creation, then read-only */
  gboolean is_video;
  GstPad *agg_pad;              /* compositor / audiomixer request pad */
  GstElement *convert;          /* audio: audioconvert ! audioresample */
  GstElement *resample;

  /* under the element's lock */
  gboolean eos;
  gboolean has_data;
  guint display_width;
  guint display_height;
  guint video_width;            /* in pixels */
  guint video_height;
  guint64 last_spoke;
  guint64 order;
  GstPad *peer;                 /* a livekit pad we follow, ref held */
  gulong peer_notify_id;
};

/* One pending change of a compositor pad, applied between two frames. */
typedef struct
{
  GstPad *pad;
  GstEgressRect r;
  gdouble alpha;
  GstStructure *config;         /* converter-config, NULL: none */
} PadGeometry;

struct _GstEgressCompositor
{
  GstBin parent;

  /* settings, under GST_OBJECT_LOCK (self) */
  guint width;
  guint height;
  gint fps_n;
  gint fps_d;
  GstEgressCompositorLayout layout;
  GstClockTime latency;
  guint audio_rate;
  guint audio_channels;

  /* runtime state.  Lock order: self->lock, then GST_OBJECT_LOCK of a
   * pad; never GST_OBJECT_LOCK (self) while holding self->lock.  Nothing
   * is held while emitting signals or adding/removing pads. */
  GMutex lock;
  GList *pads;                  /* GstEgressCompositorPad, ours */
  guint next_video;
  guint next_audio;
  guint64 order_seq;
  guint64 spoke_seq;
  gchar *focus_key;
  GArray *pending;              /* PadGeometry, NULL when nothing pending */
  GstVideoOverlayComposition *pending_overlay;
  gboolean overlay_pending;
  GstVideoOverlayComposition *overlay;  /* what draw() returns */
  gboolean eos_sent;
  guint cur_width, cur_height;  /* geometry canvas */
  const gchar *canvas;          /* compositor background, pending */

  /* children, set in init */
  GstElement *vbg, *vbg_caps, *compositor, *vcaps, *overlay_el;
  GstElement *abg, *abg_caps, *mixer, *acaps;
  GstPad *video_src, *audio_src;
};

/* *INDENT-OFF* */
G_DEFINE_TYPE (GstEgressCompositorPad, gst_egress_compositor_pad,
    GST_TYPE_GHOST_PAD);

static void gst_egress_compositor_child_proxy_init (gpointer g_iface,
    gpointer iface_data);

G_DEFINE_TYPE_WITH_CODE (GstEgressCompositor, gst_egress_compositor,
    GST_TYPE_BIN,
    G_IMPLEMENT_INTERFACE (GST_TYPE_CHILD_PROXY,
        gst_egress_compositor_child_proxy_init));
GST_ELEMENT_REGISTER_DEFINE (egresscompositor, "egresscompositor",
    GST_RANK_NONE, GST_TYPE_EGRESS_COMPOSITOR);
/* *INDENT-ON* */

static GstStaticPadTemplate video_sink_template =
GST_STATIC_PAD_TEMPLATE ("video_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("video/x-raw"));
static GstStaticPadTemplate audio_sink_template =
GST_STATIC_PAD_TEMPLATE ("audio_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw"));
static GstStaticPadTemplate video_src_template =
GST_STATIC_PAD_TEMPLATE ("video", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw, format=(string)I420"));
static GstStaticPadTemplate audio_src_template =
GST_STATIC_PAD_TEMPLATE ("audio", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format=(string)S16LE, "
        "layout=(string)interleaved"));

static void relayout (GstEgressCompositor * self);

static void
pad_geometry_clear (PadGeometry * g)
{
  gst_object_unref (g->pad);
  if (g->config)
    gst_structure_free (g->config);
}

static GType
gst_egress_compositor_layout_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EGRESS_COMPOSITOR_LAYOUT_GRID, "Grid (dark)", "grid"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_GRID_LIGHT, "Grid, light", "grid-light"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_GRID_DARK, "Grid, dark", "grid-dark"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER, "Speaker (dark)", "speaker"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER_LIGHT, "Speaker, light",
        "speaker-light"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER_DARK, "Speaker, dark",
        "speaker-dark"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER, "Single speaker (dark)",
        "single-speaker"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER_LIGHT,
        "Single speaker, light", "single-speaker-light"},
    {GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER_DARK,
        "Single speaker, dark", "single-speaker-dark"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstEgressCompositorLayout", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static GType
gst_egress_compositor_source_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EGRESS_COMPOSITOR_SOURCE_CAMERA, "Camera", "camera"},
    {GST_EGRESS_COMPOSITOR_SOURCE_SCREEN_SHARE, "Screen share",
        "screen_share"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstEgressCompositorSource", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---------------------------------------------------------------- pad */

static GParamSpec *pad_props[PAD_PROP_JOINED_AT + 1];

static void
pad_changed (GstEgressCompositorPad * pad, guint prop_id)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (pad));
  GstEgressCompositor *self;

  if (parent == NULL)
    return;
  if (!GST_IS_EGRESS_COMPOSITOR (parent)) {
    gst_object_unref (parent);
    return;
  }
  self = GST_EGRESS_COMPOSITOR (parent);
  if (prop_id == PAD_PROP_SPEAKING) {
    g_mutex_lock (&self->lock);
    GST_OBJECT_LOCK (pad);
    if (pad->speaking)
      pad->last_spoke = ++self->spoke_seq;
    GST_OBJECT_UNLOCK (pad);
    g_mutex_unlock (&self->lock);
  }
  relayout (self);
  gst_object_unref (parent);
}

static void
gst_egress_compositor_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (object);
  gboolean changed = TRUE;

  GST_OBJECT_LOCK (pad);
  switch (prop_id) {
    case PAD_PROP_IDENTITY:
      g_free (pad->identity);
      pad->identity = g_value_dup_string (value);
      break;
    case PAD_PROP_NAME:
      g_free (pad->name);
      pad->name = g_value_dup_string (value);
      break;
    case PAD_PROP_SID:
      g_free (pad->sid);
      pad->sid = g_value_dup_string (value);
      break;
    case PAD_PROP_SOURCE:
      pad->source = g_value_get_enum (value);
      break;
    case PAD_PROP_SPEAKING:
      changed = pad->speaking != g_value_get_boolean (value);
      pad->speaking = g_value_get_boolean (value);
      break;
    case PAD_PROP_AUDIO_LEVEL:
      pad->audio_level = g_value_get_double (value);
      break;
    case PAD_PROP_MUTED:
      changed = pad->muted != g_value_get_boolean (value);
      pad->muted = g_value_get_boolean (value);
      break;
    case PAD_PROP_JOINED_AT:
      pad->joined_at = g_value_get_uint64 (value);
      break;
    default:
      changed = FALSE;
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (pad);

  if (prop_id == PAD_PROP_MUTED && !pad->is_video && pad->agg_pad)
    g_object_set (pad->agg_pad, "mute", g_value_get_boolean (value), NULL);
  if (changed)
    pad_changed (pad, prop_id);
}

static void
gst_egress_compositor_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (object);

  GST_OBJECT_LOCK (pad);
  switch (prop_id) {
    case PAD_PROP_IDENTITY:
      g_value_set_string (value, pad->identity);
      break;
    case PAD_PROP_NAME:
      g_value_set_string (value, pad->name);
      break;
    case PAD_PROP_SID:
      g_value_set_string (value, pad->sid);
      break;
    case PAD_PROP_SOURCE:
      g_value_set_enum (value, pad->source);
      break;
    case PAD_PROP_SPEAKING:
      g_value_set_boolean (value, pad->speaking);
      break;
    case PAD_PROP_AUDIO_LEVEL:
      g_value_set_double (value, pad->audio_level);
      break;
    case PAD_PROP_MUTED:
      g_value_set_boolean (value, pad->muted);
      break;
    case PAD_PROP_JOINED_AT:
      g_value_set_uint64 (value, pad->joined_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (pad);
}

static void
gst_egress_compositor_pad_finalize (GObject * object)
{
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (object);

  g_free (pad->identity);
  g_free (pad->name);
  g_free (pad->sid);
  g_clear_object (&pad->agg_pad);
  g_clear_object (&pad->peer);
  G_OBJECT_CLASS (gst_egress_compositor_pad_parent_class)->finalize (object);
}

static void
gst_egress_compositor_pad_class_init (GstEgressCompositorPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;

  gobject_class->set_property = gst_egress_compositor_pad_set_property;
  gobject_class->get_property = gst_egress_compositor_pad_get_property;
  gobject_class->finalize = gst_egress_compositor_pad_finalize;

  pad_props[PAD_PROP_IDENTITY] = g_param_spec_string ("participant-identity",
      "Participant identity", "Identity of the participant (groups a "
      "participant's audio and video pads into one tile)", NULL, flags);
  pad_props[PAD_PROP_NAME] = g_param_spec_string ("participant-name",
      "Participant name", "Name shown on the tile (the identity when unset)",
      NULL, flags);
  pad_props[PAD_PROP_SID] = g_param_spec_string ("participant-sid",
      "Participant SID", "Participant SID, matched against "
      "livekit-active-speakers events", NULL, flags);
  pad_props[PAD_PROP_SOURCE] = g_param_spec_enum ("source", "Source",
      "What the video pad shows (a screen share takes the focus)",
      gst_egress_compositor_source_get_type (),
      GST_EGRESS_COMPOSITOR_SOURCE_CAMERA, flags);
  pad_props[PAD_PROP_SPEAKING] = g_param_spec_boolean ("speaking",
      "Speaking", "Whether the participant speaks now", FALSE, flags);
  pad_props[PAD_PROP_AUDIO_LEVEL] = g_param_spec_double ("audio-level",
      "Audio level", "Speaking level (0..1); the loudest speaker is the "
      "active speaker", 0.0, 1.0, 0.0, flags);
  pad_props[PAD_PROP_MUTED] = g_param_spec_boolean ("muted", "Muted",
      "A muted video pad shows the placeholder tile; a muted audio pad is "
      "not mixed", FALSE, flags);
  pad_props[PAD_PROP_JOINED_AT] = g_param_spec_uint64 ("joined-at",
      "Joined at", "When the participant joined (any monotonic unit, e.g. "
      "Unix ms; orders the tiles; 0 = the pad's request order)", 0,
      G_MAXUINT64, 0, flags);
  g_object_class_install_properties (gobject_class,
      G_N_ELEMENTS (pad_props), pad_props);
}

static void
gst_egress_compositor_pad_init (GstEgressCompositorPad * pad)
{
}

/* ------------------------------------------------------------ drawing */

typedef struct
{
  const gchar *canvas;          /* compositor background */
  gdouble tile[3], circle[3], text[3], label_bg[4], label_fg[3];
} Theme;

static const Theme dark_theme = {
  "black", {0.15, 0.15, 0.15}, {0.25, 0.25, 0.25}, {0.9, 0.9, 0.9},
  {0.0, 0.0, 0.0, 0.55}, {1.0, 1.0, 1.0}
};

static const Theme light_theme = {
  "white", {0.86, 0.86, 0.86}, {0.75, 0.75, 0.75}, {0.1, 0.1, 0.1},
  {1.0, 1.0, 1.0, 0.75}, {0.07, 0.07, 0.07}
};

/* The active speaker's border, LiveKit's accent blue. */
static const gdouble speaking_rgb[3] = { 0.12, 0.55, 0.98 };

typedef struct
{
  GstBuffer *buf;
  GstMapInfo map;
  cairo_surface_t *surface;
  cairo_t *cr;
  gint width, height;
} Canvas;

static gboolean
canvas_begin (Canvas * c, gint width, gint height)
{
  gint stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);
  gsize offset[GST_VIDEO_MAX_PLANES] = { 0, };
  gint strides[GST_VIDEO_MAX_PLANES] = { stride, };

  c->width = width;
  c->height = height;
  c->buf = gst_buffer_new_allocate (NULL, (gsize) stride * height, NULL);
  gst_buffer_add_video_meta_full (c->buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, width, height, 1, offset,
      strides);
  gst_buffer_map (c->buf, &c->map, GST_MAP_READWRITE);
  memset (c->map.data, 0, c->map.size);
  c->surface = cairo_image_surface_create_for_data (c->map.data,
      CAIRO_FORMAT_ARGB32, width, height, stride);
  c->cr = cairo_create (c->surface);
  return cairo_status (c->cr) == CAIRO_STATUS_SUCCESS;
}

/* Finishes drawing and adds the result to @comp at (x, y). */
static void
canvas_end (Canvas * c, GstVideoOverlayComposition ** comp, gint x, gint y)
{
  GstVideoOverlayRectangle *rect;

  cairo_destroy (c->cr);
  cairo_surface_flush (c->surface);
  cairo_surface_destroy (c->surface);
  gst_buffer_unmap (c->buf, &c->map);
  rect = gst_video_overlay_rectangle_new_raw (c->buf, x, y, c->width,
      c->height, GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
  gst_buffer_unref (c->buf);
  if (*comp == NULL)
    *comp = gst_video_overlay_composition_new (rect);
  else
    gst_video_overlay_composition_add_rectangle (*comp, rect);
  gst_video_overlay_rectangle_unref (rect);
}

static void
rounded_rect (cairo_t * cr, gdouble x, gdouble y, gdouble w, gdouble h,
    gdouble r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static gchar *
initials (const gchar * name)
{
  GString *s = g_string_new (NULL);
  const gchar *p = name;
  gboolean word_start = TRUE;

  for (; *p && s->len < 8; p = g_utf8_next_char (p)) {
    gunichar ch = g_utf8_get_char (p);

    if (g_unichar_isspace (ch) || ch == '-' || ch == '_' || ch == '.') {
      word_start = TRUE;
    } else if (word_start) {
      if (g_utf8_strlen (s->str, -1) < 2)
        g_string_append_unichar (s, g_unichar_toupper (ch));
      word_start = FALSE;
    }
  }
  return g_string_free (s, FALSE);
}

static PangoLayout *
text_layout (cairo_t * cr, const gchar * text, gint px, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *fd = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (fd, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* A placeholder tile: the tile colour and a circle with the initials. */
static void
draw_placeholder (GstVideoOverlayComposition ** comp, const Theme * th,
    GstEgressRect cell, const gchar * name)
{
  Canvas c;
  gdouble radius = MIN (cell.width, cell.height) * 0.22;
  gchar *ini = initials (name);
  PangoLayout *layout;
  gint tw, th_px;

  if (!canvas_begin (&c, cell.width, cell.height))
    goto done;
  cairo_set_source_rgb (c.cr, th->tile[0], th->tile[1], th->tile[2]);
  rounded_rect (c.cr, 0, 0, cell.width, cell.height, cell.height / 40.0);
  cairo_fill (c.cr);
  cairo_set_source_rgb (c.cr, th->circle[0], th->circle[1], th->circle[2]);
  cairo_arc (c.cr, cell.width / 2.0, cell.height / 2.0, radius, 0, 2 * G_PI);
  cairo_fill (c.cr);
  layout = text_layout (c.cr, ini, MAX (6, (gint) (radius * 0.8)), TRUE);
  pango_layout_get_pixel_size (layout, &tw, &th_px);
  cairo_set_source_rgb (c.cr, th->text[0], th->text[1], th->text[2]);
  cairo_move_to (c.cr, (cell.width - tw) / 2.0, (cell.height - th_px) / 2.0);
  pango_cairo_show_layout (c.cr, layout);
  g_object_unref (layout);
done:
  canvas_end (&c, comp, cell.x, cell.y);
  g_free (ini);
}

/* The name label at the bottom left of the content. */
static void
draw_label (GstVideoOverlayComposition ** comp, const Theme * th,
    GstEgressRect content, guint canvas_height, const gchar * name)
{
  gint px = MAX (8, (gint) canvas_height * 14 / 720);
  gint pad = MAX (2, px / 3);
  gint margin = MAX (2, px / 3);
  gint max_w = content.width - 2 * margin;
  gint tw, th_px, w, h;
  PangoLayout *layout;
  Canvas probe, c;

  if (max_w < 4 * pad || content.height < px * 2 || name == NULL
      || *name == '\0')
    return;
  /* measure first, then draw at the label's size */
  if (!canvas_begin (&probe, 1, 1)) {
    canvas_end (&probe, comp, 0, 0);
    return;
  }
  layout = text_layout (probe.cr, name, px, FALSE);
  pango_layout_set_width (layout, (max_w - 2 * pad) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th_px);
  g_object_unref (layout);
  cairo_destroy (probe.cr);
  cairo_surface_destroy (probe.surface);
  gst_buffer_unmap (probe.buf, &probe.map);
  gst_buffer_unref (probe.buf);

  w = MIN (max_w, tw + 2 * pad);
  h = th_px + pad;
  if (!canvas_begin (&c, w, h))
    goto done;
  cairo_set_source_rgba (c.cr, th->label_bg[0], th->label_bg[1],
      th->label_bg[2], th->label_bg[3]);
  rounded_rect (c.cr, 0, 0, w, h, pad);
  cairo_fill (c.cr);
  layout = text_layout (c.cr, name, px, FALSE);
  pango_layout_set_width (layout, (w - 2 * pad) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_set_source_rgb (c.cr, th->label_fg[0], th->label_fg[1],
      th->label_fg[2]);
  cairo_move_to (c.cr, pad, pad / 2.0);
  pango_cairo_show_layout (c.cr, layout);
  g_object_unref (layout);
done:
  canvas_end (&c, comp, content.x + margin,
      content.y + content.height - margin - h);
}

/* Four thin bars around the active speaker's tile. */
static void
draw_speaking (GstVideoOverlayComposition ** comp, GstEgressRect cell,
    guint canvas_height)
{
  gint b = MAX (2, (gint) canvas_height / 240);
  GstEgressRect bars[4] = {
    {cell.x, cell.y, cell.width, b},
    {cell.x, cell.y + cell.height - b, cell.width, b},
    {cell.x, cell.y, b, cell.height},
    {cell.x + cell.width - b, cell.y, b, cell.height},
  };
  guint i;

  for (i = 0; i < 4; i++) {
    Canvas c;

    if (!canvas_begin (&c, bars[i].width, bars[i].height))
      goto done;
    cairo_set_source_rgb (c.cr, speaking_rgb[0], speaking_rgb[1],
        speaking_rgb[2]);
    cairo_paint (c.cr);
  done:
    canvas_end (&c, comp, bars[i].x, bars[i].y);
  }
}

/* ------------------------------------------------------------- layout */

static void
layout_mode (GstEgressCompositorLayout l, GstEgressLayoutMode * mode,
    gboolean * light)
{
  GEnumClass *klass = g_type_class_ref (gst_egress_compositor_layout_get_type
      ());
  GEnumValue *v = g_enum_get_value (klass, l);

  *mode = GST_EGRESS_LAYOUT_MODE_GRID;
  *light = FALSE;
  if (v)
    gst_egress_layout_parse (v->value_nick, mode, light);
  g_type_class_unref (klass);
}

typedef struct
{
  GstEgressTileInfo info;
  gchar *key;
  gchar *name;
  GstEgressCompositorPad *video;        /* NULL for a placeholder */
  gboolean show_video;
} Tile;

static Tile *
find_tile (GArray * tiles, const gchar * key)
{
  guint i;

  for (i = 0; i < tiles->len; i++) {
    Tile *t = &g_array_index (tiles, Tile, i);
    if (g_strcmp0 (t->key, key) == 0)
      return t;
  }
  return NULL;
}

/* How compositor converts @p's frames into @place's content rectangle:
 * cropped to the content's aspect for a covering tile, scaled with a
 * bilinear filter (cheaper than the default bicubic, and the frames are
 * rarely scaled by more than 2x).  NULL (no converter at all) when the
 * frames go in unscaled.  Called with self->lock. */
static GstStructure *
converter_config (GstEgressCompositorPad * p,
    const GstEgressTilePlacement * place)
{
  GstEgressRect crop = { 0, 0, p->video_width, p->video_height };
  GstStructure *s;

  if (p->video_width == 0 || p->video_height == 0)
    return NULL;
  if (place->cover)
    gst_egress_layout_cover_crop (p->video_width, p->video_height,
        p->display_width, p->display_height, place->content.width,
        place->content.height, &crop);
  if (crop.width == place->content.width
      && crop.height == place->content.height
      && crop.width == (gint) p->video_width
      && crop.height == (gint) p->video_height)
    return NULL;
  s = gst_structure_new ("GstVideoConverter",
      GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
      GST_TYPE_VIDEO_RESAMPLER_METHOD, GST_VIDEO_RESAMPLER_METHOD_LINEAR,
      NULL);
  if (crop.width != (gint) p->video_width
      || crop.height != (gint) p->video_height)
    gst_structure_set (s, GST_VIDEO_CONVERTER_OPT_SRC_X, G_TYPE_INT, crop.x,
        GST_VIDEO_CONVERTER_OPT_SRC_Y, G_TYPE_INT, crop.y,
        GST_VIDEO_CONVERTER_OPT_SRC_WIDTH, G_TYPE_INT, crop.width,
        GST_VIDEO_CONVERTER_OPT_SRC_HEIGHT, G_TYPE_INT, crop.height, NULL);
  return s;
}

/* Recomputes the geometry and the overlay from the pads; the result is
 * applied by the compositor's thread before its next frame.  Called with no
 * lock held. */
static void
relayout (GstEgressCompositor * self)
{
  GArray *tiles = g_array_new (FALSE, TRUE, sizeof (Tile));
  GstEgressTileInfo *infos;
  GstEgressTilePlacement *out;
  GstVideoOverlayComposition *comp = NULL;
  GArray *geo;
  GstEgressCompositorLayout layout;
  GstEgressLayoutMode mode;
  gboolean light;
  const Theme *theme;
  guint width, height, i, pass;
  gint focus;
  GList *l;

  GST_OBJECT_LOCK (self);
  width = self->width;
  height = self->height;
  layout = self->layout;
  GST_OBJECT_UNLOCK (self);
  layout_mode (layout, &mode, &light);
  theme = light ? &light_theme : &dark_theme;

  g_mutex_lock (&self->lock);
  /* pass 0: video pads make tiles; pass 1: audio pads of participants
   * without a camera make placeholder tiles */
  for (pass = 0; pass < 2; pass++) {
    for (l = self->pads; l; l = l->next) {
      GstEgressCompositorPad *p = l->data;
      const gchar *pad_name = GST_OBJECT_NAME (p);
      gchar *key;
      Tile *t;

      GST_OBJECT_LOCK (p);
      if (p->identity && *p->identity)
        key = g_strdup (p->identity);
      else
        key = g_strdup (pad_name);
      if (p->is_video && p->source == GST_EGRESS_COMPOSITOR_SOURCE_SCREEN_SHARE) {
        gchar *k = g_strdup_printf ("%s/%s", key, pad_name);
        g_free (key);
        key = k;
      }
      t = find_tile (tiles, key);
      if (pass == 0 && p->is_video && !p->eos) {
        if (t) {
          /* a second camera of the same participant: its own tile */
          gchar *k = g_strdup_printf ("%s/%s", key, pad_name);
          g_free (key);
          key = k;
        }
        g_array_set_size (tiles, tiles->len + 1);
        t = &g_array_index (tiles, Tile, tiles->len - 1);
        t->key = key;
        key = NULL;
        t->video = p;
        t->show_video = p->has_data && !p->muted;
        t->info.screen_share =
            p->source == GST_EGRESS_COMPOSITOR_SOURCE_SCREEN_SHARE;
        if (t->show_video) {
          t->info.video_width = p->display_width;
          t->info.video_height = p->display_height;
        }
        t->info.joined_at = p->joined_at ? p->joined_at : p->order;
      } else if (pass == 1 && !p->is_video && !p->eos && p->identity
          && *p->identity && t == NULL) {
        g_array_set_size (tiles, tiles->len + 1);
        t = &g_array_index (tiles, Tile, tiles->len - 1);
        t->key = key;
        key = NULL;
        t->info.joined_at = p->joined_at ? p->joined_at : p->order;
      }
      g_free (key);
      GST_OBJECT_UNLOCK (p);
    }
  }

  /* speaking state, names and join times are per participant */
  for (i = 0; i < tiles->len; i++) {
    Tile *t = &g_array_index (tiles, Tile, i);
    const gchar *ident = NULL;

    if (t->video) {
      GST_OBJECT_LOCK (t->video);
      if (t->video->identity && *t->video->identity)
        ident = t->video->identity;
      t->name = g_strdup (t->video->name && *t->video->name ?
          t->video->name : ident ? ident : GST_OBJECT_NAME (t->video));
      GST_OBJECT_UNLOCK (t->video);
    } else {
      ident = t->key;
    }
    for (l = self->pads; l; l = l->next) {
      GstEgressCompositorPad *p = l->data;

      GST_OBJECT_LOCK (p);
      if ((ident && g_strcmp0 (p->identity, ident) == 0) || p == t->video) {
        if (!t->info.screen_share) {
          t->info.speaking |= p->speaking;
          t->info.audio_level = MAX (t->info.audio_level, p->audio_level);
          t->info.last_spoke = MAX (t->info.last_spoke, p->last_spoke);
        }
        if (t->name == NULL && p->name && *p->name)
          t->name = g_strdup (p->name);
        if (!p->eos || !t->video)
          t->info.joined_at = MIN (t->info.joined_at,
              p->joined_at ? p->joined_at : p->order);
      }
      GST_OBJECT_UNLOCK (p);
    }
    if (t->name == NULL)
      t->name = g_strdup (t->key);
    t->info.key = t->key;
  }

  infos = g_new0 (GstEgressTileInfo, MAX (tiles->len, 1));
  out = g_new0 (GstEgressTilePlacement, MAX (tiles->len, 1));
  for (i = 0; i < tiles->len; i++)
    infos[i] = g_array_index (tiles, Tile, i).info;
  focus = gst_egress_layout_compute (mode, width, height, infos, tiles->len,
      self->focus_key, out);
  g_free (self->focus_key);
  self->focus_key = focus >= 0 ? g_strdup (infos[focus].key) : NULL;

  geo = g_array_new (FALSE, TRUE, sizeof (PadGeometry));
  /* every video pad, also those without a tile (hidden, EOS) */
  for (l = self->pads; l; l = l->next) {
    GstEgressCompositorPad *p = l->data;
    PadGeometry g = { gst_object_ref (p->agg_pad), {0, 0, 16, 16}, 0.0,
      NULL
    };

    if (!p->is_video)
      continue;
    for (i = 0; i < tiles->len; i++) {
      Tile *t = &g_array_index (tiles, Tile, i);
      if (t->video == p && out[i].visible && t->show_video) {
        g.r = out[i].content;
        g.alpha = 1.0;
        g.config = converter_config (p, &out[i]);
      }
    }
    g_array_append_val (geo, g);
  }
  for (i = 0; i < tiles->len; i++) {
    Tile *t = &g_array_index (tiles, Tile, i);

    if (!out[i].visible)
      continue;
    if (!t->show_video)
      draw_placeholder (&comp, theme, out[i].cell, t->name);
    draw_label (&comp, theme, t->show_video ? out[i].content : out[i].cell,
        height, t->name);
    if (t->info.speaking && !t->info.screen_share)
      draw_speaking (&comp, out[i].cell, height);
  }

  if (self->pending)
    g_array_unref (self->pending);
  g_array_set_clear_func (geo, (GDestroyNotify) pad_geometry_clear);
  self->pending = geo;
  if (self->pending_overlay)
    gst_video_overlay_composition_unref (self->pending_overlay);
  self->pending_overlay = comp;
  self->overlay_pending = TRUE;
  self->cur_width = width;
  self->cur_height = height;
  /* the background follows the theme (applied with the geometry) */
  self->canvas = theme->canvas;
  g_mutex_unlock (&self->lock);

  GST_DEBUG_OBJECT (self, "%u tiles, focus %d", tiles->len, focus);
  for (i = 0; i < tiles->len; i++) {
    g_free (g_array_index (tiles, Tile, i).key);
    g_free (g_array_index (tiles, Tile, i).name);
  }
  g_array_unref (tiles);
  g_free (infos);
  g_free (out);

}

/* The compositor's thread, between choosing its input frames and drawing:
 * a new geometry lands on one frame as a whole. */
static void
samples_selected_cb (GstElement * compositor, GstSegment * segment,
    GstClockTime pts, GstClockTime dts, GstClockTime duration,
    GstStructure * info, GstEgressCompositor * self)
{
  GArray *geo;
  const gchar *canvas;
  guint i;

  g_mutex_lock (&self->lock);
  geo = self->pending;
  self->pending = NULL;
  canvas = self->canvas;
  self->canvas = NULL;
  if (self->overlay_pending) {
    if (self->overlay)
      gst_video_overlay_composition_unref (self->overlay);
    self->overlay = self->pending_overlay;
    self->pending_overlay = NULL;
    self->overlay_pending = FALSE;
  }
  g_mutex_unlock (&self->lock);

  if (canvas)
    gst_util_set_object_arg (G_OBJECT (compositor), "background", canvas);
  if (geo == NULL)
    return;
  for (i = 0; i < geo->len; i++) {
    PadGeometry *g = &g_array_index (geo, PadGeometry, i);
    GstStructure *cur = NULL;

    g_object_set (g->pad, "xpos", g->r.x, "ypos", g->r.y, "width",
        g->r.width, "height", g->r.height, "alpha", g->alpha, NULL);
    /* a new converter-config makes compositor build a new converter: only
     * when it changed (a hidden pad keeps its own) */
    if (g->alpha > 0.0) {
      g_object_get (g->pad, "converter-config", &cur, NULL);
      if (!(cur == g->config || (cur && g->config
                  && gst_structure_is_equal (cur, g->config))))
        g_object_set (g->pad, "converter-config", g->config, NULL);
      if (cur)
        gst_structure_free (cur);
    }
  }
  g_array_unref (geo);
}

static GstVideoOverlayComposition *
draw_cb (GstElement * overlay, GstSample * sample, GstEgressCompositor * self)
{
  GstVideoOverlayComposition *comp = NULL;

  g_mutex_lock (&self->lock);
  if (self->overlay)
    comp = gst_video_overlay_composition_ref (self->overlay);
  g_mutex_unlock (&self->lock);
  return comp;
}

/* ---------------------------------------------------------------- EOS */

/* Ends both outputs: the background sources end, and with @all also every
 * input of the mixers (an EOS sent to the element). */
static void
send_eos (GstEgressCompositor * self, gboolean all)
{
  GList *aggpads = NULL, *l;

  g_mutex_lock (&self->lock);
  if (all) {
    for (l = self->pads; l; l = l->next)
      aggpads = g_list_prepend (aggpads,
          gst_object_ref (((GstEgressCompositorPad *) l->data)->agg_pad));
  }
  self->eos_sent = TRUE;
  g_mutex_unlock (&self->lock);

  /* the background sources end from their own threads (background_probe):
   * an EOS event sent to a live videotestsrc races with its fill */
  GST_INFO_OBJECT (self, "ending the outputs");
  for (l = aggpads; l; l = l->next)
    gst_pad_send_event (l->data, gst_event_new_eos ());
  g_list_free_full (aggpads, gst_object_unref);
}

/* In the background sources' threads: turns the next buffer into EOS once
 * the outputs end (an EOS event sent to a live videotestsrc from another
 * thread races with its drawing). */
static GstPadProbeReturn
background_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstEgressCompositor *self = user_data;
  gboolean end;

  g_mutex_lock (&self->lock);
  end = self->eos_sent;
  g_mutex_unlock (&self->lock);
  if (!end)
    return GST_PAD_PROBE_OK;
  gst_pad_push_event (pad, gst_event_new_eos ());
  return GST_PAD_PROBE_DROP;
}

/* Every request pad still present has EOS (and there is at least one). */
static void
check_all_eos (GstEgressCompositor * self)
{
  gboolean all = TRUE;
  GList *l;

  g_mutex_lock (&self->lock);
  if (self->pads == NULL || self->eos_sent)
    all = FALSE;
  for (l = self->pads; l && all; l = l->next)
    all = ((GstEgressCompositorPad *) l->data)->eos;
  g_mutex_unlock (&self->lock);
  if (all)
    send_eos (self, FALSE);
}

static GstPadProbeReturn
sink_probe (GstPad * ghost, GstPadProbeInfo * info, gpointer user_data)
{
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (ghost);
  GstEgressCompositor *self = user_data;
  gboolean changed = FALSE, eos = FALSE;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    g_mutex_lock (&self->lock);
    changed = !pad->has_data;
    pad->has_data = TRUE;
    g_mutex_unlock (&self->lock);
    if (changed)
      relayout (self);
    return GST_PAD_PROBE_REMOVE;
  } else {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);

    switch (GST_EVENT_TYPE (ev)) {
      case GST_EVENT_CAPS:{
        GstCaps *caps;
        GstVideoInfo vi;

        gst_event_parse_caps (ev, &caps);
        if (pad->is_video && gst_video_info_from_caps (&vi, caps)) {
          g_mutex_lock (&self->lock);
          pad->display_width = vi.width * MAX (vi.par_n, 1);
          pad->display_height = vi.height * MAX (vi.par_d, 1);
          pad->video_width = vi.width;
          pad->video_height = vi.height;
          g_mutex_unlock (&self->lock);
          changed = TRUE;
        }
        break;
      }
      case GST_EVENT_EOS:
        g_mutex_lock (&self->lock);
        pad->eos = TRUE;
        g_mutex_unlock (&self->lock);
        changed = eos = TRUE;
        break;
      case GST_EVENT_FLUSH_STOP:
        g_mutex_lock (&self->lock);
        pad->eos = FALSE;
        g_mutex_unlock (&self->lock);
        changed = TRUE;
        break;
      default:
        break;
    }
  }
  if (changed)
    relayout (self);
  if (eos)
    check_all_eos (self);
  return GST_PAD_PROBE_OK;
}

/* Outputs nobody linked drop their data instead of stopping the mixer
 * (audio-only and video-only use). */
static GstPadProbeReturn
unlinked_src_probe (GstPad * pad, GstPadProbeInfo * info, gpointer ghost)
{
  if (!gst_pad_is_linked (GST_PAD (ghost)))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* ------------------------------------------------------ livekit pads */

static void
speakers_event_cb (GstElement * src, const GstStructure * s,
    GstEgressCompositor * self)
{
  gst_egress_compositor_update_speakers (GST_ELEMENT (self), s);
}

static void
peer_notify_cb (GObject * peer, GParamSpec * pspec,
    GstEgressCompositorPad * pad)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, pspec->value_type);
  g_object_get_property (peer, pspec->name, &v);
  g_object_set_property (G_OBJECT (pad), pspec->name, &v);
  g_value_unset (&v);
}

/* Copies the participant properties of a livekitroomsrc (or any) pad that
 * has them, follows its muted state and its element's speaker events. */
static void
follow_peer (GstEgressCompositor * self, GstEgressCompositorPad * pad,
    GstPad * peer)
{
  static const gchar *copy[] = { "participant-identity", "participant-sid",
    "participant-name", "muted"
  };
  GObjectClass *klass = G_OBJECT_GET_CLASS (peer);
  GParamSpec *spec;
  GstObject *src;
  guint i;

  if (!g_object_class_find_property (klass, "participant-identity"))
    return;
  for (i = 0; i < G_N_ELEMENTS (copy); i++) {
    spec = g_object_class_find_property (klass, copy[i]);
    if (spec && spec->value_type == (i == 3 ? G_TYPE_BOOLEAN : G_TYPE_STRING))
      peer_notify_cb (G_OBJECT (peer), spec, pad);
  }
  spec = g_object_class_find_property (klass, "source");
  if (spec && G_IS_PARAM_SPEC_ENUM (spec)) {
    GValue v = G_VALUE_INIT;
    GEnumValue *ev;

    g_value_init (&v, spec->value_type);
    g_object_get_property (G_OBJECT (peer), "source", &v);
    ev = g_enum_get_value (G_PARAM_SPEC_ENUM (spec)->enum_class,
        g_value_get_enum (&v));
    if (ev && g_str_has_prefix (ev->value_nick, "screen"))
      g_object_set (pad, "source", GST_EGRESS_COMPOSITOR_SOURCE_SCREEN_SHARE,
          NULL);
    g_value_unset (&v);
  }

  g_mutex_lock (&self->lock);
  if (pad->peer == NULL) {
    pad->peer = gst_object_ref (peer);
    pad->peer_notify_id = g_signal_connect_object (peer, "notify::muted",
        G_CALLBACK (peer_notify_cb), pad, 0);
  }
  g_mutex_unlock (&self->lock);

  src = gst_object_get_parent (GST_OBJECT (peer));
  if (src && g_signal_lookup ("room-event", G_OBJECT_TYPE (src)) != 0 &&
      g_signal_handler_find (src, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA,
          0, 0, NULL, speakers_event_cb, self) == 0) {
    g_signal_connect_object (src, "room-event::livekit-active-speakers",
        G_CALLBACK (speakers_event_cb), self, 0);
  }
  if (src)
    gst_object_unref (src);
}

static void
pad_linked_cb (GstPad * pad, GstPad * peer, GstEgressCompositor * self)
{
  follow_peer (self, GST_EGRESS_COMPOSITOR_PAD (pad), peer);
}

static void
pad_unlinked_cb (GstPad * gpad, GstPad * peer, GstEgressCompositor * self)
{
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (gpad);
  GstPad *old;
  gulong id;

  g_mutex_lock (&self->lock);
  old = pad->peer;
  id = pad->peer_notify_id;
  pad->peer = NULL;
  pad->peer_notify_id = 0;
  g_mutex_unlock (&self->lock);
  if (old) {
    if (id)
      g_signal_handler_disconnect (old, id);
    gst_object_unref (old);
  }
}

/**
 * gst_egress_compositor_link_livekit_pad:
 * @compositor: an egresscompositor
 * @livekit_pad: a source pad of livekitroomsrc (a #GstLiveKitSrcPad), or
 *     any pad with raw audio or video
 *
 * Requests a `video_%u` or `audio_%u` pad (by the pad's name or caps),
 * links @livekit_pad to it and copies the participant properties.
 *
 * Returns: (transfer none) (nullable): the new request pad, or %NULL when
 * linking failed
 */
GstPad *
gst_egress_compositor_link_livekit_pad (GstElement * compositor,
    GstPad * livekit_pad)
{
  GstPad *pad = NULL;

  g_return_val_if_fail (GST_IS_EGRESS_COMPOSITOR (compositor), NULL);
  g_return_val_if_fail (GST_IS_PAD (livekit_pad), NULL);
  g_signal_emit (compositor, signals[SIGNAL_LINK_LIVEKIT_PAD], 0,
      livekit_pad, &pad);
  return pad;
}

static GstPad *
link_livekit_pad_impl (GstEgressCompositor * self, GstPad * src)
{
  gchar *name = gst_pad_get_name (src);
  GstCaps *caps = gst_pad_query_caps (src, NULL);
  gboolean video = g_str_has_prefix (name, "video");
  GstPad *pad;

  if (!g_str_has_prefix (name, "audio") && !video && caps
      && gst_caps_get_size (caps) > 0)
    video = g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure
            (caps, 0)), "video");
  g_free (name);
  gst_clear_caps (&caps);

  pad = gst_element_request_pad_simple (GST_ELEMENT (self),
      video ? "video_%u" : "audio_%u");
  if (pad == NULL)
    return NULL;
  if (gst_pad_link (src, pad) != GST_PAD_LINK_OK) {
    GST_WARNING_OBJECT (self, "could not link %" GST_PTR_FORMAT, src);
    gst_element_release_request_pad (GST_ELEMENT (self), pad);
    gst_object_unref (pad);
    return NULL;
  }
  gst_object_unref (pad);       /* the element keeps it */
  return pad;
}

/**
 * gst_egress_compositor_update_speakers:
 * @compositor: an egresscompositor
 * @speakers: a `livekit-active-speakers` structure: `participant-sids` (or
 *     `participant-identities`), an array of strings, and `levels`, an
 *     array of floats
 *
 * Sets speaking and audio-level on every pad from one speaker update (the
 * participants not listed stop speaking).
 */
void
gst_egress_compositor_update_speakers (GstElement * compositor,
    const GstStructure * speakers)
{
  g_return_if_fail (GST_IS_EGRESS_COMPOSITOR (compositor));
  g_signal_emit (compositor, signals[SIGNAL_UPDATE_SPEAKERS], 0, speakers);
}

static void
update_speakers_impl (GstEgressCompositor * self, const GstStructure * s)
{
  const GValue *ids, *levels;
  gboolean by_sid = TRUE;
  GList *l;

  if (s == NULL)
    return;
  ids = gst_structure_get_value (s, "participant-sids");
  if (ids == NULL) {
    ids = gst_structure_get_value (s, "participant-identities");
    by_sid = FALSE;
  }
  levels = gst_structure_get_value (s, "levels");
  if (ids == NULL || !GST_VALUE_HOLDS_ARRAY (ids)) {
    GST_WARNING_OBJECT (self, "speaker update without participant-sids or "
        "participant-identities: %" GST_PTR_FORMAT, s);
    return;
  }

  g_mutex_lock (&self->lock);
  for (l = self->pads; l; l = l->next) {
    GstEgressCompositorPad *p = l->data;
    const gchar *key;
    gboolean speaking = FALSE;
    gdouble level = 0.0;
    guint i;

    GST_OBJECT_LOCK (p);
    key = by_sid ? p->sid : p->identity;
    for (i = 0; key && i < gst_value_array_get_size (ids); i++) {
      const GValue *v = gst_value_array_get_value (ids, i);

      if (G_VALUE_HOLDS_STRING (v) && g_strcmp0 (g_value_get_string (v),
              key) == 0) {
        speaking = TRUE;
        level = 1.0;
        if (levels && GST_VALUE_HOLDS_ARRAY (levels)
            && i < gst_value_array_get_size (levels)) {
          const GValue *lv = gst_value_array_get_value (levels, i);
          if (G_VALUE_HOLDS_FLOAT (lv))
            level = g_value_get_float (lv);
          else if (G_VALUE_HOLDS_DOUBLE (lv))
            level = g_value_get_double (lv);
        }
        if (level <= 0.0)
          speaking = FALSE;
      }
    }
    if (speaking && !p->speaking)
      p->last_spoke = ++self->spoke_seq;
    p->speaking = speaking;
    p->audio_level = CLAMP (level, 0.0, 1.0);
    GST_OBJECT_UNLOCK (p);
  }
  g_mutex_unlock (&self->lock);
  relayout (self);
}

/* ------------------------------------------------------------ element */

static GstPad *
gst_egress_compositor_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * req_name, const GstCaps * caps)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (element);
  gboolean video = templ->direction == GST_PAD_SINK &&
      g_str_has_prefix (templ->name_template, "video");
  GstEgressCompositorPad *pad;
  GstPad *agg_pad, *target;
  GstElement *convert = NULL, *resample = NULL;
  gchar *name;
  guint idx;

  g_mutex_lock (&self->lock);
  if (req_name && sscanf (req_name, video ? "video_%u" : "audio_%u",
          &idx) == 1) {
    GList *l;
    for (l = self->pads; l; l = l->next) {
      if (g_strcmp0 (GST_OBJECT_NAME (l->data), req_name) == 0) {
        g_mutex_unlock (&self->lock);
        GST_WARNING_OBJECT (self, "pad %s exists already", req_name);
        return NULL;
      }
    }
  } else {
    idx = video ? self->next_video : self->next_audio;
  }
  if (video)
    self->next_video = MAX (self->next_video, idx + 1);
  else
    self->next_audio = MAX (self->next_audio, idx + 1);
  g_mutex_unlock (&self->lock);

  if (video) {
    agg_pad = gst_element_request_pad_simple (self->compositor, "sink_%u");
    if (agg_pad == NULL)
      return NULL;
    /* the geometry says where the video goes (fitted or cropped) */
    gst_util_set_object_arg (G_OBJECT (agg_pad), "sizing-policy", "none");
    g_object_set (agg_pad, "alpha", 0.0, "zorder", 1, NULL);
    target = gst_object_ref (agg_pad);
  } else {
    agg_pad = gst_element_request_pad_simple (self->mixer, "sink_%u");
    if (agg_pad == NULL)
      return NULL;
    convert = gst_element_factory_make ("audioconvert", NULL);
    resample = gst_element_factory_make ("audioresample", NULL);
    if (!convert || !resample) {
      GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
          ("audioconvert or audioresample is missing"), (NULL));
      gst_clear_object (&convert);
      gst_clear_object (&resample);
      gst_element_release_request_pad (self->mixer, agg_pad);
      gst_object_unref (agg_pad);
      return NULL;
    }
    gst_bin_add_many (GST_BIN (self), convert, resample, NULL);
    gst_element_link (convert, resample);
    {
      GstPad *rsrc = gst_element_get_static_pad (resample, "src");
      gst_pad_link (rsrc, agg_pad);
      gst_object_unref (rsrc);
    }
    gst_element_sync_state_with_parent (resample);
    gst_element_sync_state_with_parent (convert);
    target = gst_element_get_static_pad (convert, "sink");
  }

  name = g_strdup_printf (video ? "video_%u" : "audio_%u", idx);
  pad = g_object_new (GST_TYPE_EGRESS_COMPOSITOR_PAD, "name", name,
      "direction", GST_PAD_SINK, "template", templ, NULL);
  g_free (name);
  gst_ghost_pad_set_target (GST_GHOST_PAD (pad), target);
  gst_object_unref (target);
  pad->is_video = video;
  pad->agg_pad = agg_pad;
  pad->convert = convert;
  pad->resample = resample;

  g_mutex_lock (&self->lock);
  pad->order = ++self->order_seq;
  self->pads = g_list_append (self->pads, pad);
  g_mutex_unlock (&self->lock);

  gst_pad_add_probe (GST_PAD (pad), GST_PAD_PROBE_TYPE_BUFFER, sink_probe,
      self, NULL);
  gst_pad_add_probe (GST_PAD (pad), GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, sink_probe, self, NULL);
  g_signal_connect_object (pad, "linked", G_CALLBACK (pad_linked_cb), self,
      0);
  g_signal_connect_object (pad, "unlinked", G_CALLBACK (pad_unlinked_cb),
      self, 0);

  gst_pad_set_active (GST_PAD (pad), TRUE);
  gst_element_add_pad (element, GST_PAD (pad));
  gst_child_proxy_child_added (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  relayout (self);
  return GST_PAD (pad);
}

static void
gst_egress_compositor_release_pad (GstElement * element, GstPad * gpad)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (element);
  GstEgressCompositorPad *pad = GST_EGRESS_COMPOSITOR_PAD (gpad);
  GList *link;

  g_mutex_lock (&self->lock);
  link = g_list_find (self->pads, pad);
  if (link)
    self->pads = g_list_delete_link (self->pads, link);
  g_mutex_unlock (&self->lock);
  if (link == NULL)
    return;

  pad_unlinked_cb (gpad, NULL, self);
  gst_child_proxy_child_removed (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  gst_object_ref (pad);
  gst_ghost_pad_set_target (GST_GHOST_PAD (pad), NULL);
  gst_pad_set_active (gpad, FALSE);
  gst_element_remove_pad (element, gpad);
  if (pad->is_video) {
    gst_element_release_request_pad (self->compositor, pad->agg_pad);
  } else {
    gst_element_set_locked_state (pad->convert, TRUE);
    gst_element_set_locked_state (pad->resample, TRUE);
    gst_element_set_state (pad->convert, GST_STATE_NULL);
    gst_element_set_state (pad->resample, GST_STATE_NULL);
    gst_bin_remove_many (GST_BIN (self), pad->convert, pad->resample, NULL);
    gst_element_release_request_pad (self->mixer, pad->agg_pad);
  }
  gst_object_unref (pad);
  relayout (self);
  check_all_eos (self);
}

static gboolean
gst_egress_compositor_send_event (GstElement * element, GstEvent * event)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (element);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    gst_event_unref (event);
    send_eos (self, TRUE);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (gst_egress_compositor_parent_class)->send_event
      (element, event);
}

static void
apply_caps (GstEgressCompositor * self)
{
  GstCaps *vcaps, *acaps;
  GstClockTime latency;

  GST_OBJECT_LOCK (self);
  vcaps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420",
      "width", G_TYPE_INT, self->width, "height", G_TYPE_INT, self->height,
      "framerate", GST_TYPE_FRACTION, self->fps_n, self->fps_d,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  acaps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING,
      "S16LE", "layout", G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT,
      self->audio_rate, "channels", G_TYPE_INT, self->audio_channels, NULL);
  latency = self->latency;
  GST_OBJECT_UNLOCK (self);

  /* the mixers post messages to us: never under our object lock */
  g_object_set (self->compositor, "latency", latency, NULL);
  g_object_set (self->mixer, "latency", latency, NULL);

  {
    GstCaps *bg = gst_caps_copy (vcaps);

    gst_caps_set_simple (bg, "width", G_TYPE_INT, 16, "height", G_TYPE_INT,
        16, NULL);
    g_object_set (self->vbg_caps, "caps", bg, NULL);
    gst_caps_unref (bg);
  }
  g_object_set (self->vcaps, "caps", vcaps, NULL);
  g_object_set (self->abg_caps, "caps", acaps, NULL);
  g_object_set (self->acaps, "caps", acaps, NULL);
  gst_caps_unref (vcaps);
  gst_caps_unref (acaps);
}

static GstStateChangeReturn
gst_egress_compositor_change_state (GstElement * element,
    GstStateChange transition)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (element);

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    if (!self->vbg) {
      GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
          ("compositor, audiomixer, videotestsrc, audiotestsrc or "
              "overlaycomposition is missing"), (NULL));
      return GST_STATE_CHANGE_FAILURE;
    }
    apply_caps (self);
    relayout (self);
  } else if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    g_mutex_lock (&self->lock);
    self->eos_sent = FALSE;
    g_mutex_unlock (&self->lock);
  }
  return GST_ELEMENT_CLASS (gst_egress_compositor_parent_class)->change_state
      (element, transition);
}

/* -------------------------------------------------------- properties */

static void
gst_egress_compositor_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WIDTH:
      self->width = g_value_get_uint (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_uint (value);
      break;
    case PROP_FRAMERATE:
      self->fps_n = gst_value_get_fraction_numerator (value);
      self->fps_d = gst_value_get_fraction_denominator (value);
      break;
    case PROP_LAYOUT:
      self->layout = g_value_get_enum (value);
      break;
    case PROP_LATENCY:
      self->latency = g_value_get_uint64 (value);
      break;
    case PROP_AUDIO_RATE:
      self->audio_rate = g_value_get_uint (value);
      break;
    case PROP_AUDIO_CHANNELS:
      self->audio_channels = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);

  if (prop_id == PROP_LAYOUT)
    relayout (self);
}

static void
gst_egress_compositor_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;
    case PROP_FRAMERATE:
      gst_value_set_fraction (value, self->fps_n, self->fps_d);
      break;
    case PROP_LAYOUT:
      g_value_set_enum (value, self->layout);
      break;
    case PROP_LATENCY:
      g_value_set_uint64 (value, self->latency);
      break;
    case PROP_AUDIO_RATE:
      g_value_set_uint (value, self->audio_rate);
      break;
    case PROP_AUDIO_CHANNELS:
      g_value_set_uint (value, self->audio_channels);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* -------------------------------------------------------- child proxy */

/* Request pads are children too, so gst-launch can set
 * `video_0::participant-name=Alice`. */
static GObject *
gst_egress_compositor_child_proxy_get_child_by_name (GstChildProxy * proxy,
    const gchar * name)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (proxy);
  GstChildProxyInterface *parent_iface;
  GObject *obj = NULL;
  GList *l;

  g_mutex_lock (&self->lock);
  for (l = self->pads; l; l = l->next)
    if (g_strcmp0 (GST_OBJECT_NAME (l->data), name) == 0)
      obj = g_object_ref (l->data);
  g_mutex_unlock (&self->lock);
  if (obj)
    return obj;
  parent_iface = g_type_interface_peek (gst_egress_compositor_parent_class,
      GST_TYPE_CHILD_PROXY);
  return parent_iface->get_child_by_name (proxy, name);
}

static void
gst_egress_compositor_child_proxy_init (gpointer g_iface, gpointer iface_data)
{
  GstChildProxyInterface *iface = g_iface;
  GstChildProxyInterface *parent_iface =
      g_type_interface_peek_parent (g_iface);

  iface->get_child_by_index = parent_iface->get_child_by_index;
  iface->get_children_count = parent_iface->get_children_count;
  iface->get_child_by_name =
      gst_egress_compositor_child_proxy_get_child_by_name;
}

/* ------------------------------------------------------------- set up */

static GstElement *
make (GstEgressCompositor * self, const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (e)
    gst_bin_add (GST_BIN (self), e);
  else
    GST_WARNING_OBJECT (self, "no %s element", factory);
  return e;
}

static void
gst_egress_compositor_init (GstEgressCompositor * self)
{
  GstPadTemplate *templ;
  GstPad *target;

  g_mutex_init (&self->lock);
  self->width = DEFAULT_WIDTH;
  self->height = DEFAULT_HEIGHT;
  self->fps_n = DEFAULT_FPS_N;
  self->fps_d = DEFAULT_FPS_D;
  self->layout = DEFAULT_LAYOUT;
  self->latency = DEFAULT_LATENCY;
  self->audio_rate = DEFAULT_AUDIO_RATE;
  self->audio_channels = DEFAULT_AUDIO_CHANNELS;

  templ = gst_static_pad_template_get (&video_src_template);
  self->video_src = gst_ghost_pad_new_no_target_from_template ("video", templ);
  gst_object_unref (templ);
  templ = gst_static_pad_template_get (&audio_src_template);
  self->audio_src = gst_ghost_pad_new_no_target_from_template ("audio", templ);
  gst_object_unref (templ);
  gst_element_add_pad (GST_ELEMENT (self), self->video_src);
  gst_element_add_pad (GST_ELEMENT (self), self->audio_src);

  /* video: live background -> compositor -> caps -> overlay */
  self->vbg = make (self, "videotestsrc", "background");
  self->vbg_caps = make (self, "capsfilter", "background-caps");
  self->compositor = make (self, "compositor", "compositor");
  self->vcaps = make (self, "capsfilter", "video-caps");
  self->overlay_el = make (self, "overlaycomposition", "labels");
  /* audio: live silence -> audiomixer -> caps */
  self->abg = make (self, "audiotestsrc", "silence");
  self->abg_caps = make (self, "capsfilter", "silence-caps");
  self->mixer = make (self, "audiomixer", "audiomixer");
  self->acaps = make (self, "capsfilter", "audio-caps");
  if (!self->vbg || !self->vbg_caps || !self->compositor || !self->vcaps ||
      !self->overlay_el || !self->abg || !self->abg_caps || !self->mixer ||
      !self->acaps) {
    self->vbg = NULL;           /* reported at NULL_TO_READY */
    return;
  }

  /* the background source only keeps time: a tiny black frame, not drawn
   * (alpha 0); compositor fills the canvas colour itself */
  g_object_set (self->vbg, "is-live", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (self->vbg), "pattern", "black");
  gst_util_set_object_arg (G_OBJECT (self->compositor), "background",
      "black");
  g_object_set (self->compositor, "emit-signals", TRUE, NULL);
  g_object_set (self->abg, "is-live", TRUE, "volume", 0.0,
      "samplesperbuffer", 960, NULL);
  gst_util_set_object_arg (G_OBJECT (self->abg), "wave", "silence");

  gst_element_link_many (self->vbg, self->vbg_caps, NULL);
  target = gst_element_get_static_pad (self->vbg_caps, "src");
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER, background_probe,
      self, NULL);
  gst_object_unref (target);
  target = gst_element_get_static_pad (self->abg_caps, "src");
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER, background_probe,
      self, NULL);
  gst_object_unref (target);
  {
    GstPad *bgsrc = gst_element_get_static_pad (self->vbg_caps, "src");
    GstPad *bgsink = gst_element_request_pad_simple (self->compositor,
        "sink_%u");

    g_object_set (bgsink, "zorder", 0, "alpha", 0.0, NULL);
    gst_pad_link (bgsrc, bgsink);
    gst_object_unref (bgsrc);
    gst_object_unref (bgsink);
  }
  gst_element_link_many (self->compositor, self->vcaps, self->overlay_el,
      NULL);
  gst_element_link_many (self->abg, self->abg_caps, self->mixer, self->acaps,
      NULL);

  target = gst_element_get_static_pad (self->overlay_el, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->video_src), target);
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, unlinked_src_probe, self->video_src,
      NULL);
  gst_object_unref (target);
  target = gst_element_get_static_pad (self->acaps, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->audio_src), target);
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, unlinked_src_probe, self->audio_src,
      NULL);
  gst_object_unref (target);

  g_signal_connect (self->compositor, "samples-selected",
      G_CALLBACK (samples_selected_cb), self);
  g_signal_connect (self->overlay_el, "draw", G_CALLBACK (draw_cb), self);

  /* a live source: no preroll, and the pipeline sees us as a source only */
  gst_bin_set_suppressed_flags (GST_BIN (self), GST_ELEMENT_FLAG_SINK);
  apply_caps (self);
}

/* Request pads go before the children they target (GstBin's dispose
 * removes the children before GstElement's releases the pads). */
static void
gst_egress_compositor_dispose (GObject * object)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (object);
  GstPad *pad;

  for (;;) {
    g_mutex_lock (&self->lock);
    pad = self->pads ? gst_object_ref (self->pads->data) : NULL;
    g_mutex_unlock (&self->lock);
    if (pad == NULL)
      break;
    gst_element_release_request_pad (GST_ELEMENT (self), pad);
    gst_object_unref (pad);
  }
  G_OBJECT_CLASS (gst_egress_compositor_parent_class)->dispose (object);
}

static void
gst_egress_compositor_finalize (GObject * object)
{
  GstEgressCompositor *self = GST_EGRESS_COMPOSITOR (object);

  if (self->pending)
    g_array_unref (self->pending);
  g_clear_pointer (&self->pending_overlay,
      gst_video_overlay_composition_unref);
  g_clear_pointer (&self->overlay, gst_video_overlay_composition_unref);
  g_list_free (self->pads);
  g_free (self->focus_key);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gst_egress_compositor_parent_class)->finalize (object);
}

static void
gst_egress_compositor_class_init (GstEgressCompositorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (egress_compositor_debug, "egresscompositor", 0,
      "egresscompositor");

  gobject_class->set_property = gst_egress_compositor_set_property;
  gobject_class->get_property = gst_egress_compositor_get_property;
  gobject_class->dispose = gst_egress_compositor_dispose;
  gobject_class->finalize = gst_egress_compositor_finalize;

  g_object_class_install_property (gobject_class, PROP_WIDTH,
      g_param_spec_uint ("width", "Width", "Output width", 16, 8192,
          DEFAULT_WIDTH, ready));
  g_object_class_install_property (gobject_class, PROP_HEIGHT,
      g_param_spec_uint ("height", "Height", "Output height", 16, 8192,
          DEFAULT_HEIGHT, ready));
  g_object_class_install_property (gobject_class, PROP_FRAMERATE,
      gst_param_spec_fraction ("framerate", "Frame rate", "Output frame rate",
          1, 1, 240, 1, DEFAULT_FPS_N, DEFAULT_FPS_D, ready));
  g_object_class_install_property (gobject_class, PROP_LAYOUT,
      g_param_spec_enum ("layout", "Layout", "LiveKit layout name; may "
          "change while playing", gst_egress_compositor_layout_get_type (),
          DEFAULT_LAYOUT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint64 ("latency", "Latency", "How long the mixers wait "
          "for late input beyond what the inputs report (ns)", 0,
          G_MAXUINT64, DEFAULT_LATENCY, ready));
  g_object_class_install_property (gobject_class, PROP_AUDIO_RATE,
      g_param_spec_uint ("audio-rate", "Audio rate", "Output sample rate",
          8000, 192000, DEFAULT_AUDIO_RATE, ready));
  g_object_class_install_property (gobject_class, PROP_AUDIO_CHANNELS,
      g_param_spec_uint ("audio-channels", "Audio channels",
          "Output channels", 1, 8, DEFAULT_AUDIO_CHANNELS, ready));

  /**
   * GstEgressCompositor::link-livekit-pad:
   * @compositor: the element
   * @pad: a livekitroomsrc pad
   *
   * Action signal behind gst_egress_compositor_link_livekit_pad().
   *
   * Returns: (transfer none): the new request pad, or %NULL
   */
  signals[SIGNAL_LINK_LIVEKIT_PAD] = g_signal_new_class_handler
      ("link-livekit-pad", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (link_livekit_pad_impl),
      NULL, NULL, NULL, GST_TYPE_PAD, 1, GST_TYPE_PAD);
  /**
   * GstEgressCompositor::update-speakers:
   * @compositor: the element
   * @speakers: a `livekit-active-speakers` structure
   *
   * Action signal behind gst_egress_compositor_update_speakers().
   */
  signals[SIGNAL_UPDATE_SPEAKERS] = g_signal_new_class_handler
      ("update-speakers", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (update_speakers_impl),
      NULL, NULL, NULL, G_TYPE_NONE, 1,
      GST_TYPE_STRUCTURE | G_SIGNAL_TYPE_STATIC_SCOPE);

  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &video_sink_template, GST_TYPE_EGRESS_COMPOSITOR_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &audio_sink_template, GST_TYPE_EGRESS_COMPOSITOR_PAD);
  gst_element_class_add_static_pad_template (element_class,
      &video_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_src_template);
  gst_element_class_set_static_metadata (element_class,
      "Egress compositor", "Filter/Editor/Video/Compositor/Audio/Mixer",
      "Composes room participants into LiveKit's layouts and mixes their "
      "audio", "gst-egress");

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_egress_compositor_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_egress_compositor_release_pad);
  element_class->send_event =
      GST_DEBUG_FUNCPTR (gst_egress_compositor_send_event);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_egress_compositor_change_state);

  gst_type_mark_as_plugin_api (gst_egress_compositor_layout_get_type (), 0);
  gst_type_mark_as_plugin_api (gst_egress_compositor_source_get_type (), 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EGRESS_COMPOSITOR_PAD, 0);
}
