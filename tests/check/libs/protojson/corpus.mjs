// gst-egress: the conformance corpus, built with the official classes of
// @livekit/protocol: signalling and egress messages covering every field
// kind (nested, oneof, map, repeated, enum, int64, bytes, float, empty).
// Used by conform.mjs and by tests/fuzz/make-seeds.mjs.
import * as lk from '@livekit/protocol';

const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const room = new lk.Room({
  sid: 'RM_abc', name: 'my-room', emptyTimeout: 300, maxParticipants: 10,
  creationTime: 1700000000n, creationTimeMs: 1700000000123n,
  turnPassword: 'pw', enabledCodecs: [new lk.Codec({ mime: 'video/VP8' }),
    new lk.Codec({ mime: 'audio/opus', fmtpLine: 'minptime=10;useinbandfec=1' })],
  metadata: '{"a":1}', numParticipants: 2, numPublishers: 1,
  activeRecording: true, version: new lk.TimedVersion({ unixMicro: -5n, ticks: 7 }),
});
const video = new lk.TrackInfo({
  sid: 'TR_v', type: lk.TrackType.VIDEO, name: 'camera', width: 1280,
  height: 720, source: lk.TrackSource.CAMERA, mimeType: 'video/VP8', mid: '1',
  layers: [new lk.VideoLayer({ quality: lk.VideoQuality.HIGH, width: 1280,
    height: 720, bitrate: 2500000, ssrc: 4294967295 }),
  new lk.VideoLayer({ quality: lk.VideoQuality.LOW, width: 320, height: 180 })],
  codecs: [new lk.SimulcastCodecInfo({ mimeType: 'video/VP8', mid: '1',
    cid: 'c1', layers: [new lk.VideoLayer({ quality: lk.VideoQuality.MEDIUM })] })],
  stream: 'camera', version: new lk.TimedVersion({ unixMicro: 1700000000000000n }),
});
const audio = new lk.TrackInfo({
  sid: 'TR_a', type: lk.TrackType.AUDIO, name: 'mic', muted: true,
  source: lk.TrackSource.MICROPHONE, mimeType: 'audio/opus', stereo: true,
  disableDtx: true, disableRed: true,
});
const participant = new lk.ParticipantInfo({
  sid: 'PA_1', identity: 'alice', state: lk.ParticipantInfo_State.ACTIVE,
  tracks: [video, audio], metadata: 'm', joinedAt: 1700000001n,
  joinedAtMs: 1700000001000n, name: 'Alice', version: 3,
  permission: new lk.ParticipantPermission({ canSubscribe: true,
    canPublish: true, canPublishData: true, hidden: false,
    canPublishSources: [lk.TrackSource.CAMERA, lk.TrackSource.MICROPHONE] }),
  region: 'local', isPublisher: true, kind: lk.ParticipantInfo_Kind.EGRESS,
  attributes: { role: 'host', '1': 'one', 'ü': 'ß' },
});
const s3 = new lk.S3Upload({
  accessKey: 'AK', secret: 'SK', region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000', bucket: 'b', forcePathStyle: true,
  metadata: { k: 'v', x: '' }, tagging: 't=1', contentDisposition: 'inline',
  proxy: new lk.ProxyConfig({ url: 'http://127.0.0.1:3128', username: 'u' }),
});
const advanced = new lk.EncodingOptions({
  width: 1920, height: 1080, depth: 24, framerate: 30,
  audioCodec: lk.AudioCodec.OPUS, audioBitrate: 128, audioFrequency: 48000,
  videoCodec: lk.VideoCodec.H264_HIGH, videoBitrate: 4500,
  keyFrameInterval: 2.5,
});

const sr = (c, value) => new lk.SignalRequest({ message: { case: c, value } });
const sp = (c, value) => new lk.SignalResponse({ message: { case: c, value } });

// float fields hold float32 values once decoded: start from what a binary
// trip through protobuf-es itself gives (0.1 -> 0.10000000149011612)
const canonical = (m) => m.getType().fromBinary(m.toBinary());

export const corpus = [
  // signalling: requests
  sr('offer', new lk.SessionDescription({ type: 'offer', sdp, id: 4,
    midToTrackId: { '0': 'TR_v', '1': 'TR_a', a: 'b' } })),
  sr('answer', new lk.SessionDescription({ type: 'answer', sdp })),
  sr('trickle', new lk.TrickleRequest({
    candidateInit: '{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0"}',
    target: lk.SignalTarget.SUBSCRIBER, final: true })),
  sr('mute', new lk.MuteTrackRequest({ sid: 'TR_a', muted: true })),
  sr('subscription', new lk.UpdateSubscription({ trackSids: ['TR_v', 'TR_a'],
    subscribe: true, participantTracks: [new lk.ParticipantTracks({
      participantSid: 'PA_1', trackSids: ['TR_v'] })] })),
  sr('trackSetting', new lk.UpdateTrackSettings({ trackSids: ['TR_v'],
    disabled: false, quality: lk.VideoQuality.MEDIUM, width: 640, height: 360,
    fps: 15, priority: 1 })),
  sr('leave', new lk.LeaveRequest()),
  sr('leave', new lk.LeaveRequest({ canReconnect: true,
    reason: lk.DisconnectReason.CLIENT_INITIATED,
    action: lk.LeaveRequest_Action.RESUME })),
  sr('ping', -1234567890123n),
  sr('ping', 0n),
  sr('pingReq', new lk.Ping({ timestamp: 1700000000123n, rtt: 42n })),
  new lk.SignalRequest(),
  // signalling: responses
  sp('join', new lk.JoinResponse({ room, participant,
    otherParticipants: [participant, new lk.ParticipantInfo({ identity: 'bob' })],
    serverVersion: '1.8.0', iceServers: [new lk.ICEServer({
      urls: ['stun:127.0.0.1:3478', 'turn:127.0.0.1:3478?transport=udp'],
      username: 'u', credential: 'c' })],
    subscriberPrimary: true, pingTimeout: 15, pingInterval: 5,
    sifTrailer: new Uint8Array([0, 1, 2, 253, 254, 255]),
    serverInfo: new lk.ServerInfo({ edition: lk.ServerInfo_Edition.Standard,
      version: '1.8.0', protocol: 16, region: 'local', nodeId: 'ND_1' }) })),
  sp('answer', new lk.SessionDescription({ type: 'answer', sdp, id: 1 })),
  sp('offer', new lk.SessionDescription({ type: 'offer', sdp, id: 2,
    midToTrackId: { '0': 'TR_v' } })),
  sp('trickle', new lk.TrickleRequest({ candidateInit: '{}',
    target: lk.SignalTarget.PUBLISHER })),
  sp('update', new lk.ParticipantUpdate({ participants: [participant,
    new lk.ParticipantInfo({ sid: 'PA_2', state: lk.ParticipantInfo_State.DISCONNECTED })] })),
  sp('trackPublished', new lk.TrackPublishedResponse({ cid: 'c', track: video })),
  sp('leave', new lk.LeaveRequest({ reason: lk.DisconnectReason.ROOM_DELETED,
    action: lk.LeaveRequest_Action.DISCONNECT })),
  sp('mute', new lk.MuteTrackRequest({ sid: 'TR_v' })),
  sp('speakersChanged', new lk.SpeakersChanged({ speakers: [
    new lk.SpeakerInfo({ sid: 'PA_1', level: 0.1, active: true }),
    new lk.SpeakerInfo({ sid: 'PA_2', level: 0 })] })),
  sp('roomUpdate', new lk.RoomUpdate({ room })),
  sp('connectionQuality', new lk.ConnectionQualityUpdate({ updates: [
    new lk.ConnectionQualityInfo({ participantSid: 'PA_1',
      quality: lk.ConnectionQuality.EXCELLENT, score: 4.5 })] })),
  sp('streamStateUpdate', new lk.StreamStateUpdate({ streamStates: [
    new lk.StreamStateInfo({ participantSid: 'PA_1', trackSid: 'TR_v',
      state: lk.StreamState.PAUSED })] })),
  sp('subscriptionPermissionUpdate', new lk.SubscriptionPermissionUpdate({
    participantSid: 'PA_1', trackSid: 'TR_v', allowed: false })),
  sp('refreshToken', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'),
  sp('refreshToken', ''),
  sp('trackUnpublished', new lk.TrackUnpublishedResponse({ trackSid: 'TR_a' })),
  sp('pong', 9007199254740993n),
  sp('reconnect', new lk.ReconnectResponse({ iceServers: [new lk.ICEServer({
    urls: ['stun:127.0.0.1:3478'] })], lastMessageSeq: 12 })),
  sp('pongResp', new lk.Pong({ lastPingTimestamp: 1n, timestamp: 2n })),
  sp('subscriptionResponse', new lk.SubscriptionResponse({ trackSid: 'TR_x',
    err: lk.SubscriptionError.SE_TRACK_NOTFOUND })),
  sp('requestResponse', new lk.RequestResponse({ requestId: 7,
    reason: lk.RequestResponse_Reason.NOT_FOUND, message: 'no such track' })),
  new lk.SignalResponse(),
  // egress API
  new lk.StartEgressRequest({ roomName: 'my-room',
    source: { case: 'template', value: new lk.TemplateSource({ layout: 'grid',
      audioOnly: false, customBaseUrl: 'http://127.0.0.1:8080/' }) },
    encoding: { case: 'preset', value: lk.EncodingOptionsPreset.H264_720P_30 },
    outputs: [
      new lk.Output({ config: { case: 'file', value: new lk.FileOutput({
        fileType: lk.EncodedFileType.MP4, filepath: 'rec/{room_name}-{time}.mp4' }) },
        storage: new lk.StorageConfig({ provider: { case: 's3', value: s3 } }) }),
      new lk.Output({ config: { case: 'stream', value: new lk.StreamOutput({
        protocol: lk.StreamProtocol.RTMP, urls: ['rtmp://127.0.0.1/live/a'] }) } }),
      new lk.Output({ config: { case: 'segments', value: new lk.SegmentedFileOutput({
        protocol: lk.SegmentedFileProtocol.HLS_PROTOCOL, filenamePrefix: 'seg',
        playlistName: 'p.m3u8', livePlaylistName: 'live.m3u8', segmentDuration: 6,
        filenameSuffix: lk.SegmentedFileSuffix.TIMESTAMP }) } }),
      new lk.Output({ config: { case: 'images', value: new lk.ImageOutput({
        captureInterval: 5, width: 640, height: 360, filenamePrefix: 'img',
        filenameSuffix: lk.ImageFileSuffix.IMAGE_SUFFIX_TIMESTAMP,
        imageCodec: lk.ImageCodec.IC_JPEG }) } }),
    ],
    storage: new lk.StorageConfig({ provider: { case: 'gcp', value: new lk.GCPUpload({
      credentials: '{"type":"service_account"}', bucket: 'g' }) } }) }),
  new lk.StartEgressRequest({ roomName: 'r',
    source: { case: 'web', value: new lk.WebSource({ url: 'http://127.0.0.1/',
      awaitStartSignal: true, videoOnly: true }) },
    encoding: { case: 'advanced', value: advanced },
    outputs: [new lk.Output({ config: { case: 'file', value: new lk.FileOutput({
      fileType: lk.EncodedFileType.OGG }) },
      storage: new lk.StorageConfig({ provider: { case: 'azure', value:
        new lk.AzureBlobUpload({ accountName: 'devstoreaccount1',
          accountKey: 'a2V5', containerName: 'c' }) } }) })] }),
  new lk.StartEgressRequest({ roomName: 'r',
    source: { case: 'media', value: new lk.MediaSource({
      video: { case: 'participantVideo', value: new lk.ParticipantVideo({
        identity: 'alice', preferScreenShare: true }) },
      audio: new lk.AudioConfig({ captureAll: false, routes: [
        new lk.AudioRoute({ match: { case: 'participantIdentity', value: 'alice' },
          channel: lk.AudioChannel.LEFT }),
        new lk.AudioRoute({ match: { case: 'participantKind',
          value: lk.ParticipantInfo_Kind.STANDARD } })] }) }) },
    encoding: { case: 'preset', value: lk.EncodingOptionsPreset.H264_720P_30 } }),
  new lk.RoomCompositeEgressRequest({ roomName: 'my-room', layout: 'speaker',
    audioMixing: lk.AudioMixing.DUAL_CHANNEL_AGENT, options: { case: 'advanced', value: advanced },
    fileOutputs: [new lk.EncodedFileOutput({ fileType: lk.EncodedFileType.MP4,
      filepath: 'a.mp4', output: { case: 's3', value: s3 } })],
    streamOutputs: [new lk.StreamOutput({ protocol: lk.StreamProtocol.SRT,
      urls: ['srt://127.0.0.1:9999'] })],
    segmentOutputs: [new lk.SegmentedFileOutput({ filenamePrefix: 's',
      output: { case: 'aliOSS', value: new lk.AliOSSUpload({ accessKey: 'a',
        secret: 's', region: 'r', endpoint: 'http://127.0.0.1', bucket: 'b' }) } })],
    imageOutputs: [new lk.ImageOutput({ captureInterval: 1 })] }),
  new lk.WebEgressRequest({ url: 'http://127.0.0.1/', audioOnly: true,
    output: { case: 'stream', value: new lk.StreamOutput({
      protocol: lk.StreamProtocol.RTMP, urls: ['rtmp://127.0.0.1/a', 'rtmp://127.0.0.1/b'] }) },
    options: { case: 'preset', value: lk.EncodingOptionsPreset.PORTRAIT_H264_1080P_60 } }),
  new lk.ParticipantEgressRequest({ roomName: 'r', identity: 'alice',
    screenShare: true, options: { case: 'preset', value: 0 },
    fileOutputs: [new lk.EncodedFileOutput({ filepath: 'x' })] }),
  new lk.TrackCompositeEgressRequest({ roomName: 'r', audioTrackId: 'TR_a',
    videoTrackId: 'TR_v', output: { case: 'file', value: new lk.EncodedFileOutput({
      fileType: lk.EncodedFileType.MP4, output: { case: 'gcp', value:
        new lk.GCPUpload({ bucket: 'b' }) } }) } }),
  new lk.TrackEgressRequest({ roomName: 'r', trackId: 'TR_a',
    output: { case: 'websocketUrl', value: 'ws://127.0.0.1:8080/a' } }),
  new lk.TrackEgressRequest({ roomName: 'r', trackId: 'TR_v',
    output: { case: 'file', value: new lk.DirectFileOutput({ filepath: 'v.webm',
      output: { case: 's3', value: s3 } }) } }),
  new lk.ListEgressRequest({ roomName: 'r', active: true }),
  new lk.StopEgressRequest({ egressId: 'EG_1' }),
  new lk.StopEgressRequest(),
  new lk.UpdateStreamRequest({ egressId: 'EG_1', addOutputUrls: ['rtmp://127.0.0.1/c'],
    removeOutputUrls: ['rtmp://127.0.0.1/a'] }),
  new lk.UpdateLayoutRequest({ egressId: 'EG_1', layout: 'grid-dark' }),
  new lk.EgressInfo({ egressId: 'EG_1', roomId: 'RM_abc', roomName: 'my-room',
    sourceType: lk.EgressSourceType.WEB,
    status: lk.EgressStatus.EGRESS_COMPLETE, startedAt: 1700000000000000000n,
    endedAt: 1700000060000000000n, updatedAt: -1n,
    request: { case: 'roomComposite', value: new lk.RoomCompositeEgressRequest({
      roomName: 'my-room', layout: 'grid' }) },
    streamResults: [new lk.StreamInfo({ url: 'rtmp://127.0.0.1/live/a',
      startedAt: 1n, endedAt: 2n, duration: 1n,
      status: lk.StreamInfo_Status.FAILED, error: 'gone', retries: 2 })],
    fileResults: [new lk.FileInfo({ filename: 'a.mp4', startedAt: 1n,
      endedAt: 9n, duration: 8n, size: 123456789012n, location: 's3://b/a.mp4' })],
    segmentResults: [new lk.SegmentsInfo({ playlistName: 'p.m3u8',
      duration: 60n, size: 1000n, segmentCount: 10n })],
    imageResults: [new lk.ImagesInfo({ filenamePrefix: 'img', imageCount: 3n })],
    error: 'e', errorCode: 500, details: 'd', manifestLocation: 'm',
    backupStorageUsed: true }),
  new lk.ListEgressResponse({ items: [new lk.EgressInfo({ egressId: 'EG_2',
    status: lk.EgressStatus.EGRESS_ACTIVE,
    request: { case: 'track', value: new lk.TrackEgressRequest({ trackId: 'TR_a' }) },
    result: { case: 'file', value: new lk.FileInfo({ filename: 'f' }) } })] }),
  new lk.WebhookEvent({ event: 'egress_ended', room, id: 'EV_1',
    createdAt: 1700000000n, egressInfo: new lk.EgressInfo({ egressId: 'EG_1',
      status: lk.EgressStatus.EGRESS_ENDING }) }),
  new lk.WebhookEvent({ event: 'track_published', participant, track: video,
    numDropped: 3 }),

].map(canonical);
