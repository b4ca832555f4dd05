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

#ifndef __GST_LIVEKIT_SIGNAL_CLIENT_H__
#define __GST_LIVEKIT_SIGNAL_CLIENT_H__

#include <gio/gio.h>
#include <gst/livekit/livekit-proto.h>

G_BEGIN_DECLS

#define GST_LIVEKIT_SIGNAL_ERROR (gst_livekit_signal_error_quark ())

/**
 * GstLiveKitSignalError:
 * @GST_LIVEKIT_SIGNAL_ERROR_URL: the server URL is not a ws://, wss://,
 *     http:// or https:// URL
 * @GST_LIVEKIT_SIGNAL_ERROR_CONNECT: the server could not be reached
 * @GST_LIVEKIT_SIGNAL_ERROR_UNAUTHORIZED: the server refused the token
 *     (HTTP 401)
 * @GST_LIVEKIT_SIGNAL_ERROR_REFUSED: the server refused the WebSocket
 *     upgrade for another reason (the message has the HTTP status)
 * @GST_LIVEKIT_SIGNAL_ERROR_PROTOCOL: the server sent something that is not
 *     a SignalResponse
 * @GST_LIVEKIT_SIGNAL_ERROR_TIMEOUT: nothing arrived within the ping timeout
 * @GST_LIVEKIT_SIGNAL_ERROR_CLOSED: the server closed the WebSocket
 */
typedef enum
{
  GST_LIVEKIT_SIGNAL_ERROR_URL,
  GST_LIVEKIT_SIGNAL_ERROR_CONNECT,
  GST_LIVEKIT_SIGNAL_ERROR_UNAUTHORIZED,
  GST_LIVEKIT_SIGNAL_ERROR_REFUSED,
  GST_LIVEKIT_SIGNAL_ERROR_PROTOCOL,
  GST_LIVEKIT_SIGNAL_ERROR_TIMEOUT,
  GST_LIVEKIT_SIGNAL_ERROR_CLOSED,
} GstLiveKitSignalError;

GQuark gst_livekit_signal_error_quark (void);

#define GST_TYPE_LIVEKIT_SIGNAL_CLIENT (gst_livekit_signal_client_get_type ())
G_DECLARE_FINAL_TYPE (GstLiveKitSignalClient, gst_livekit_signal_client,
    GST, LIVEKIT_SIGNAL_CLIENT, GObject)

GstLiveKitSignalClient *gst_livekit_signal_client_new (void);

void gst_livekit_signal_client_set_ca_file (GstLiveKitSignalClient * self,
    const gchar * ca_file);

gchar *gst_livekit_signal_client_build_uri (const gchar * url,
    const gchar * extra_query, GError ** error);

void gst_livekit_signal_client_connect_async (GstLiveKitSignalClient * self,
    const gchar * url, const gchar * token, const gchar * extra_query,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data);

gboolean gst_livekit_signal_client_connect_finish (
    GstLiveKitSignalClient * self, GAsyncResult * result, GError ** error);

gboolean gst_livekit_signal_client_send (GstLiveKitSignalClient * self,
    const Livekit__SignalRequest * request);

void gst_livekit_signal_client_close (GstLiveKitSignalClient * self);

gboolean gst_livekit_signal_client_is_connected (
    GstLiveKitSignalClient * self);

G_END_DECLS

#endif /* __GST_LIVEKIT_SIGNAL_CLIENT_H__ */
