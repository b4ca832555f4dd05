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

/* Everything generated from the schema subset in proto/: include this
 * instead of the generated headers one by one.  Types are Livekit__Xxx
 * (e.g. Livekit__SignalRequest), functions livekit__xxx__yyy. */

#ifndef __GST_LIVEKIT_PROTO_ALL_H__
#define __GST_LIVEKIT_PROTO_ALL_H__

#include <gst/livekit/proto/livekit_models.pb-c.h>
#include <gst/livekit/proto/livekit_rtc.pb-c.h>
#include <gst/livekit/proto/livekit_egress.pb-c.h>
#include <gst/livekit/proto/livekit_ingress.pb-c.h>
#include <gst/livekit/proto/livekit_agent.pb-c.h>
#include <gst/livekit/proto/livekit_webhook.pb-c.h>
#include <gst/livekit/proto.h>

#endif /* __GST_LIVEKIT_PROTO_ALL_H__ */
