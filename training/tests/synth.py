# Runs in pytest (CI). Makes tiny TrackNet-layout clips with ffmpeg's lavfi: a 4x4 white square moving over
# a dark background, with its exact label CSV. No real footage is needed.
import subprocess
from pathlib import Path

SQUARE = 4


def dot_position(n):
    """Top-left of the square in frame n. overlay's `n` in x/y expressions counts from 1 here (measured on
    the decoded frames), while `enable` counts from 0, hence n + 1."""
    return 20 + 4 * (n + 1), 40 + 2 * (n + 1)


def make_clip(root, match, clip, frames=45, size=(320, 180), hidden=range(20, 25), fmt="pixels"):
    """Writes ROOT/match/video/clip.mp4 and ROOT/match/csv/clip_ball.csv; returns the two paths."""
    w, h = size
    vdir, cdir = Path(root, match, "video"), Path(root, match, "csv")
    vdir.mkdir(parents=True, exist_ok=True)
    cdir.mkdir(parents=True, exist_ok=True)
    video, csv = vdir / f"{clip}.mp4", cdir / f"{clip}_ball.csv"
    hide = "+".join(f"eq(n,{i})" for i in hidden) or "0"
    graph = (
        f"color=c=0x202020:s={w}x{h}:r=30:d={frames / 30:.4f}[bg];"
        f"color=c=white:s={SQUARE}x{SQUARE}:r=30[dot];"
        f"[bg][dot]overlay=x='20+4*n':y='40+2*n':eval=frame:shortest=1:enable='not({hide})'"
    )
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            graph,
            "-frames:v",
            str(frames),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-qp",
            "0",
            "-pix_fmt",
            "yuv444p",
            str(video),
        ],
        check=True,
    )
    rows = ["Frame,Visibility,X,Y" if fmt == "pixels" else "Frame,Ball,x,y"]
    for n in range(frames):
        x, y = dot_position(n)
        cx, cy = x + (SQUARE - 1) / 2, y + (SQUARE - 1) / 2  # centre in pixel-centre coordinates
        vis = 0 if n in hidden else 1
        if not vis:
            cx = cy = 0.0
        if fmt == "pixels":
            rows.append(f"{n},{vis},{cx:.2f},{cy:.2f}")
        else:
            rows.append(f"{n},{vis},{cx / w:.6f},{cy / h:.6f}")
    csv.write_text("\n".join(rows) + "\n")
    return video, csv
