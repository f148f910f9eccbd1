# Runs in Python (data loading, post-processing). The letterbox geometry shared by decoding, targets and
# mapping predictions back to video pixels. The TypeScript side must implement exactly this (see README).
from dataclasses import dataclass


@dataclass(frozen=True)
class Letterbox:
    video_w: int
    video_h: int
    model_w: int = 512
    model_h: int = 288

    @property
    def scaled_w(self) -> int:
        """Width of the scaled picture inside the model frame (aspect preserved, padded right/bottom)."""
        s = min(self.model_w / self.video_w, self.model_h / self.video_h)
        return min(self.model_w, max(1, round(self.video_w * s)))

    @property
    def scaled_h(self) -> int:
        s = min(self.model_w / self.video_w, self.model_h / self.video_h)
        return min(self.model_h, max(1, round(self.video_h * s)))

    @property
    def sx(self) -> float:
        return self.scaled_w / self.video_w

    @property
    def sy(self) -> float:
        return self.scaled_h / self.video_h

    # Pixel-centre convention (the one ffmpeg's scaler uses): model pixel i covers video coordinates whose
    # centre maps as  m + 0.5 = (v + 0.5) * s.
    def to_model(self, x: float, y: float):
        return (x + 0.5) * self.sx - 0.5, (y + 0.5) * self.sy - 0.5

    def to_video(self, mx: float, my: float):
        return (mx + 0.5) / self.sx - 0.5, (my + 0.5) / self.sy - 0.5

    def tolerance(self, px_at_model: float = 4.0) -> float:
        """TrackNet tolerance: px_at_model pixels at 512x288 in video pixels (10 px at 1280x720)."""
        return px_at_model / min(self.sx, self.sy)

    def ffmpeg_filter(self) -> str:
        """Scale in ffmpeg (bilinear) and pad to the model frame with black at the right/bottom."""
        return (
            f"scale={self.scaled_w}:{self.scaled_h}:flags=bilinear,"
            f"pad={self.model_w}:{self.model_h}:0:0:black"
        )
