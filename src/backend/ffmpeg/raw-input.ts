// Runs in the backend (plain Node): ffmpeg's input arguments for raw rgb24 frames piped on stdin — how the
// synthetic generator, the tests' known-answer videos and the contact sheet hand pictures to ffmpeg.
export function rawRgbInputArgs(width: number, height: number, fps?: number): string[] {
  return [
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-video_size',
    `${width}x${height}`,
    ...(fps === undefined ? [] : ['-framerate', String(fps)]),
    '-i',
    'pipe:0'
  ]
}
