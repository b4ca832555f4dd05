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
 * SECTION:gstlivekitsignalclient
 * @title: GstLiveKitSignalClient
 * @short_description: LiveKit signalling over a WebSocket
 *
 * Speaks LiveKit's v0 signalling protocol (`/rtc`, two PeerConnections) in
 * binary protobuf: connects with the access token in an Authorization
 * header, sends #Livekit__SignalRequest messages and emits every
 * #Livekit__SignalResponse it receives through the
 * #GstLiveKitSignalClient::response signal.  It pings the server at the interval the JoinResponse (or
 * ReconnectResponse) gives, and reports a lost connection when nothing
 * arrives within the ping timeout.
 *
 * Everything happens in the thread-default #GMainContext of the thread that
 * created the client (libsoup 3 sessions belong to one thread): create it,
 * connect it and send from that context; signals are emitted there.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <libsoup/soup.h>

#include "signalclient.h"

/* The protocol level we speak: subscriber-primary, packed stream ids,
 * Leave actions, RequestResponse (see the protocol notes). */
#define PROTOCOL_VERSION 16
#define SDK_NAME "cpp"

G_DEFINE_QUARK (gst-livekit-signal-error-quark, gst_livekit_signal_error);

struct _GstLiveKitSignalClient
{
  GObject parent;

  SoupSession *session;
  SoupWebsocketConnection *ws;
  GMainContext *context;
  gchar *ca_file;

  /* liveness */
  GSource *ping_source;
  gint64 last_rx;               /* monotonic, µs */
  gint64 ping_timeout;          /* µs, 0 until joined */
  gint64 last_rtt;              /* ms */
  gboolean closing;
};

enum
{
  SIGNAL_RESPONSE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (GstLiveKitSignalClient, gst_livekit_signal_client,
    G_TYPE_OBJECT);

static void stop_pings (GstLiveKitSignalClient * self);

static void
drop_connection (GstLiveKitSignalClient * self)
{
  stop_pings (self);
  if (self->ws) {
    g_signal_handlers_disconnect_by_data (self->ws, self);
    if (soup_websocket_connection_get_state (self->ws) ==
        SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
    g_clear_object (&self->ws);
  }
}

static void
gst_livekit_signal_client_finalize (GObject * object)
{
  GstLiveKitSignalClient *self = GST_LIVEKIT_SIGNAL_CLIENT (object);

  drop_connection (self);
  g_clear_object (&self->session);
  g_main_context_unref (self->context);
  g_free (self->ca_file);

  G_OBJECT_CLASS (gst_livekit_signal_client_parent_class)->finalize (object);
}

static void
gst_livekit_signal_client_class_init (GstLiveKitSignalClientClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_livekit_signal_client_finalize;

  /**
   * GstLiveKitSignalClient::response:
   * @client: the client
   * @response: (type gpointer): the #Livekit__SignalResponse, valid during
   *     the emission only
   *
   * A message arrived from the server.
   */
  signals[SIGNAL_RESPONSE] = g_signal_new ("response",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * GstLiveKitSignalClient::closed:
   * @client: the client
   * @error: why: %GST_LIVEKIT_SIGNAL_ERROR_CLOSED when the server closed
   *     the WebSocket, %GST_LIVEKIT_SIGNAL_ERROR_TIMEOUT when it fell silent
   *
   * The connection is gone (not emitted after
   * gst_livekit_signal_client_close()).
   */
  signals[SIGNAL_CLOSED] = g_signal_new ("closed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gst_livekit_signal_client_init (GstLiveKitSignalClient * self)
{
  self->context = g_main_context_ref_thread_default ();
}

/**
 * gst_livekit_signal_client_new:
 *
 * Returns: (transfer full): a client bound to the thread-default main
 *     context of the calling thread.
 */
GstLiveKitSignalClient *
gst_livekit_signal_client_new (void)
{
  return g_object_new (GST_TYPE_LIVEKIT_SIGNAL_CLIENT, NULL);
}

/**
 * gst_livekit_signal_client_set_ca_file:
 * @ca_file: (nullable): PEM file of the CAs to trust for wss://, instead of
 *     the system's
 */
void
gst_livekit_signal_client_set_ca_file (GstLiveKitSignalClient * self,
    const gchar * ca_file)
{
  g_return_if_fail (GST_IS_LIVEKIT_SIGNAL_CLIENT (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_clear_object (&self->session);
}

/**
 * gst_livekit_signal_client_build_uri:
 * @url: the server URL as users give it: ws://, wss://, http:// or
 *     https://, with or without a path
 * @extra_query: (nullable): more query parameters, e.g.
 *     `reconnect=1&sid=PA_x`
 *
 * Returns: (transfer full) (nullable): the signalling URI (path `/rtc`),
 *     or %NULL with @error set when @url is not usable.
 */
gchar *
gst_livekit_signal_client_build_uri (const gchar * url,
    const gchar * extra_query, GError ** error)
{
  GUri *uri;
  const gchar *scheme, *path;
  gchar *ws_scheme, *rtc_path, *query, *out;

  uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (!uri || !g_uri_get_host (uri) || !*g_uri_get_host (uri)
      || !(g_ascii_strcasecmp (scheme, "ws") == 0
          || g_ascii_strcasecmp (scheme, "wss") == 0
          || g_ascii_strcasecmp (scheme, "http") == 0
          || g_ascii_strcasecmp (scheme, "https") == 0)) {
    g_set_error (error, GST_LIVEKIT_SIGNAL_ERROR, GST_LIVEKIT_SIGNAL_ERROR_URL,
        "'%s' is not a LiveKit server URL (ws://, wss://, http:// or "
        "https://host[:port])", url ? url : "(none)");
    if (uri)
      g_uri_unref (uri);
    return NULL;
  }

  ws_scheme = g_ascii_strcasecmp (scheme, "wss") == 0
      || g_ascii_strcasecmp (scheme, "https") == 0 ?
      g_strdup ("wss") : g_strdup ("ws");
  path = g_uri_get_path (uri);
  if (g_str_has_suffix (path, "/"))
    rtc_path = g_strconcat (path, "rtc", NULL);
  else
    rtc_path = g_strconcat (path, "/rtc", NULL);
  query = g_strdup_printf ("sdk=" SDK_NAME "&version=" PACKAGE_VERSION
      "&protocol=%d&auto_subscribe=0&adaptive_stream=0%s%s",
      PROTOCOL_VERSION, extra_query && *extra_query ? "&" : "",
      extra_query ? extra_query : "");

  out = g_uri_join (G_URI_FLAGS_NONE, ws_scheme, NULL, g_uri_get_host (uri),
      g_uri_get_port (uri), rtc_path, query, NULL);

  g_free (query);
  g_free (rtc_path);
  g_free (ws_scheme);
  g_uri_unref (uri);
  return out;
}

static void
emit_closed (GstLiveKitSignalClient * self, GError * error)
{
  g_object_ref (self);
  drop_connection (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
  g_object_unref (self);
}

static gboolean
send_request (GstLiveKitSignalClient * self, const Livekit__SignalRequest * r)
{
  gsize len;
  guint8 *data;

  if (!self->ws
      || soup_websocket_connection_get_state (self->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;

  len = livekit__signal_request__get_packed_size (r);
  data = g_malloc (len ? len : 1);
  livekit__signal_request__pack (r, data);
  soup_websocket_connection_send_binary (self->ws, data, len);
  g_free (data);
  return TRUE;
}

static gboolean
on_ping_tick (gpointer user_data)
{
  GstLiveKitSignalClient *self = user_data;
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__Ping ping = LIVEKIT__PING__INIT;
  gint64 now = g_get_monotonic_time ();

  if (self->ping_timeout > 0 && now - self->last_rx > self->ping_timeout) {
    GError *error = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
        GST_LIVEKIT_SIGNAL_ERROR_TIMEOUT,
        "no message from the server for %" G_GINT64_FORMAT " s",
        (now - self->last_rx) / G_USEC_PER_SEC);

    self->ping_source = NULL;
    emit_closed (self, error);
    g_error_free (error);
    return G_SOURCE_REMOVE;
  }

  ping.timestamp = g_get_real_time () / 1000;
  ping.rtt = self->last_rtt;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_PING_REQ;
  req.ping_req = &ping;
  send_request (self, &req);
  return G_SOURCE_CONTINUE;
}

static void
stop_pings (GstLiveKitSignalClient * self)
{
  if (self->ping_source) {
    g_source_destroy (self->ping_source);
    g_source_unref (self->ping_source);
    self->ping_source = NULL;
  }
}

static void
start_pings (GstLiveKitSignalClient * self, gint interval, gint timeout)
{
  stop_pings (self);
  if (interval <= 0)
    interval = 5;
  if (timeout <= 0)
    timeout = 15;
  self->ping_timeout = (gint64) timeout * G_USEC_PER_SEC;
  /* check liveness at least once a second, ping at the server's pace */
  self->ping_source = g_timeout_source_new_seconds (MIN (interval, 1));
  g_source_set_callback (self->ping_source, on_ping_tick, self, NULL);
  g_source_attach (self->ping_source, self->context);
  on_ping_tick (self);
}

static void
on_ws_message (SoupWebsocketConnection * ws, gint type, GBytes * message,
    GstLiveKitSignalClient * self)
{
  Livekit__SignalResponse *res;
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);

  self->last_rx = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_BINARY
      || !(res = livekit__signal_response__unpack (NULL, len, data))) {
    GError *error = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
        GST_LIVEKIT_SIGNAL_ERROR_PROTOCOL,
        "the server sent a %s message of %" G_GSIZE_FORMAT
        " bytes that is not a binary SignalResponse",
        type == SOUP_WEBSOCKET_DATA_BINARY ? "binary" : "text", len);

    emit_closed (self, error);
    g_error_free (error);
    return;
  }

  g_object_ref (self);
  switch (res->message_case) {
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_JOIN:
      start_pings (self, res->join->ping_interval, res->join->ping_timeout);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_RECONNECT:
      if (!self->ping_source)
        start_pings (self, 5, 15);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_PONG_RESP:
      if (res->pong_resp->last_ping_timestamp > 0)
        self->last_rtt = g_get_real_time () / 1000 -
            res->pong_resp->last_ping_timestamp;
      break;
    default:
      break;
  }
  g_signal_emit (self, signals[SIGNAL_RESPONSE], 0, res);
  livekit__signal_response__free_unpacked (res, NULL);
  g_object_unref (self);
}

static void
on_ws_closed (SoupWebsocketConnection * ws, GstLiveKitSignalClient * self)
{
  GError *error;
  const gchar *data = soup_websocket_connection_get_close_data (ws);

  error = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
      GST_LIVEKIT_SIGNAL_ERROR_CLOSED,
      "the server closed the signalling connection (code %u%s%s)",
      soup_websocket_connection_get_close_code (ws),
      data && *data ? ": " : "", data ? data : "");
  emit_closed (self, error);
  g_error_free (error);
}

static void
on_connected (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GTask *task = user_data;
  GstLiveKitSignalClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
      &error);
  if (!ws) {
    guint status = soup_message_get_status (msg);
    GError *out;

    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      out = g_error_copy (error);
    } else if (status == SOUP_STATUS_UNAUTHORIZED) {
      out = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_UNAUTHORIZED,
          "the server refused the access token (HTTP 401 %s): check the "
          "API key and secret, the room grant and the token's validity",
          soup_message_get_reason_phrase (msg) ?
          soup_message_get_reason_phrase (msg) : "");
    } else if (status >= 100) {
      out = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_REFUSED,
          "the server refused the connection: HTTP %u %s", status,
          soup_message_get_reason_phrase (msg) ?
          soup_message_get_reason_phrase (msg) : "");
    } else {
      out = g_error_new (GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_CONNECT,
          "cannot reach the server: %s", error->message);
    }
    g_clear_error (&error);
    g_task_return_error (task, out);
    g_object_unref (task);
    return;
  }

  drop_connection (self);
  self->ws = ws;
  self->closing = FALSE;
  self->last_rx = g_get_monotonic_time ();
  self->ping_timeout = 0;
  soup_websocket_connection_set_max_incoming_payload_size (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * gst_livekit_signal_client_connect_async:
 * @url: the server URL (ws://, wss://, http:// or https://)
 * @token: the access token
 * @extra_query: (nullable): more query parameters, e.g. for a resume
 *     `reconnect=1&sid=PA_x&reconnect_reason=1`
 *
 * Opens the signalling WebSocket.  Subscriptions are explicit
 * (`auto_subscribe=0`): send UpdateSubscription for the tracks wanted.
 * Any previous connection is dropped first.
 */
void
gst_livekit_signal_client_connect_async (GstLiveKitSignalClient * self,
    const gchar * url, const gchar * token, const gchar * extra_query,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  GTask *task;
  GError *error = NULL;
  SoupMessage *msg;
  gchar *uri, *auth;

  g_return_if_fail (GST_IS_LIVEKIT_SIGNAL_CLIENT (self));
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  uri = gst_livekit_signal_client_build_uri (url, extra_query, &error);
  if (!uri) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }

  if (!self->session) {
    self->session = soup_session_new ();
    if (self->ca_file) {
      GTlsDatabase *db = g_tls_file_database_new (self->ca_file, &error);

      if (!db) {
        g_task_return_new_error (task, GST_LIVEKIT_SIGNAL_ERROR,
            GST_LIVEKIT_SIGNAL_ERROR_CONNECT, "cannot read CA file '%s': %s",
            self->ca_file, error->message);
        g_clear_error (&error);
        g_clear_object (&self->session);
        g_object_unref (task);
        g_free (uri);
        return;
      }
      soup_session_set_tls_database (self->session, db);
      g_object_unref (db);
    }
  }

  msg = soup_message_new ("GET", uri);
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", auth);
  g_free (auth);
  g_task_set_task_data (task, msg, g_object_unref);

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, cancellable, on_connected, task);
  g_free (uri);
}

gboolean
gst_livekit_signal_client_connect_finish (GstLiveKitSignalClient * self,
    GAsyncResult * result, GError ** error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gst_livekit_signal_client_send:
 * @request: the message
 *
 * Returns: %FALSE when not connected (the message is dropped).
 */
gboolean
gst_livekit_signal_client_send (GstLiveKitSignalClient * self,
    const Livekit__SignalRequest * request)
{
  g_return_val_if_fail (GST_IS_LIVEKIT_SIGNAL_CLIENT (self), FALSE);

  return send_request (self, request);
}

/**
 * gst_livekit_signal_client_is_connected:
 *
 * Returns: whether the WebSocket is open.
 */
gboolean
gst_livekit_signal_client_is_connected (GstLiveKitSignalClient * self)
{
  g_return_val_if_fail (GST_IS_LIVEKIT_SIGNAL_CLIENT (self), FALSE);

  return self->ws && soup_websocket_connection_get_state (self->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN;
}

/**
 * gst_livekit_signal_client_close:
 *
 * Sends Leave (CLIENT_INITIATED) when connected and closes the WebSocket;
 * #GstLiveKitSignalClient::closed is not emitted.
 */
void
gst_livekit_signal_client_close (GstLiveKitSignalClient * self)
{
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__LeaveRequest leave = LIVEKIT__LEAVE_REQUEST__INIT;

  g_return_if_fail (GST_IS_LIVEKIT_SIGNAL_CLIENT (self));

  leave.reason = LIVEKIT__DISCONNECT_REASON__CLIENT_INITIATED;
  leave.action = LIVEKIT__LEAVE_REQUEST__ACTION__DISCONNECT;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_LEAVE;
  req.leave = &leave;
  send_request (self, &req);
  drop_connection (self);
}
