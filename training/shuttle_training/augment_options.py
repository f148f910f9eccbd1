# Runs in Python (training). train.py's flags for augmentation and hard negatives, and the AugmentConfig they
# make. --camera-aug switches on a set of probabilities for what a new camera brings (rotated, another frame
# shape, fisheye, dim); any single flag given overrides its part of the set.
from .augment import AugmentConfig

# flag name -> (AugmentConfig field, value under --camera-aug, help)
PROBABILITIES = {
    "rotate90-p": ("rotate90_p", 0.25, "a quarter, half or three-quarter turn of the picture"),
    "rotate-p": ("rotate_p", 0.3, "a small tilt (see --rotate-deg)"),
    "aspect-p": ("aspect_p", 0.4, "another frame shape (4:3, 3:2, 1:1, 9:16...) letterboxed as the app does"),
    "zoom-p": ("zoom_p", 0.4, "a zoom in or out (see --zoom-max): the shuttle's size varies"),
    "lens-p": ("lens_p", 0.3, "radial lens distortion, barrel (fisheye) or pincushion (see --lens-max)"),
    "exposure-p": ("exposure_p", 0.4, "exposure gain 0.3..1.4 (a dim hall)"),
    "contrast-p": ("contrast_p", 0.3, "contrast change"),
    "gamma-p": ("gamma_p", 0.3, "gamma change"),
    "tint-p": ("tint_p", 0.3, "white balance and saturation change"),
    "blur-p": ("blur_p", 0.2, "Gaussian blur (focus, lens)"),
    "noise-p": ("noise_p", 0.3, "sensor noise"),
    "jpeg-p": ("jpeg_p", 0.2, "compression blocks (8x8 DCT quantisation)"),
}


def add_augment_args(ap):
    g = ap.add_argument_group("augmentation (each a probability per sample, one draw per window)")
    g.add_argument("--shuttle-crop-p", type=float, default=0.5)
    g.add_argument(
        "--decoy-p",
        type=float,
        default=0.0,
        help="probability of pasting static shuttle-like decoys into a sample (needs --background)",
    )
    g.add_argument(
        "--camera-aug",
        action="store_true",
        help="a new camera's geometry and look: "
        + ", ".join(f"--{k} {v[1]}" for k, v in PROBABILITIES.items()),
    )
    for flag, (_field, _preset, text) in PROBABILITIES.items():
        g.add_argument(f"--{flag}", type=float, help=f"{text} (default 0, or --camera-aug's)")
    g.add_argument(
        "--camera-share",
        type=float,
        default=1.0,
        metavar="S",
        help="share of samples that may draw the camera geometry and look at all; the rest stay plain "
        "(default 1: every sample)",
    )
    g.add_argument("--rotate-deg", type=float, default=12.0, help="largest small tilt, degrees")
    g.add_argument("--zoom-max", type=float, default=1.6, help="zoom factor drawn in [1/Z, Z] (log-uniform)")
    g.add_argument(
        "--lens-max", type=float, default=0.5, help="strongest barrel distortion k (q = d (1 + k r^2))"
    )
    h = ap.add_argument_group("hard negatives (the model's own false detections, mined on the training set)")
    h.add_argument(
        "--hard-negatives",
        type=float,
        default=0.0,
        metavar="P",
        help="probability of a sample cropped around a mined hard negative; 0 = off",
    )
    h.add_argument(
        "--hard-mine-every",
        type=int,
        default=0,
        metavar="K",
        help="mine again every K epochs; 0 = at the start only",
    )
    h.add_argument("--hard-mine-windows", type=int, default=300, help="training windows read per mining pass")
    h.add_argument(
        "--hard-threshold", type=float, default=0.3, help="heatmap probability that counts as firing"
    )
    h.add_argument(
        "--hard-distance",
        type=float,
        default=12.0,
        help="model pixels from the label beyond which a blob is false",
    )


def check_augment_args(ap, a):
    """Exits through ap.error (usage, exit code 2) on a value out of range."""
    problem = _problem(a)
    if problem:
        ap.error(problem)


def _problem(a):
    for flag, (field, _p, _t) in PROBABILITIES.items():
        v = getattr(a, field)
        if v is not None and not 0 <= v <= 1:
            return f"--{flag} must lie in [0, 1], not {v}"
    if not 0 <= a.camera_share <= 1:
        return f"--camera-share must lie in [0, 1], not {a.camera_share}"
    if not 0 <= a.hard_negatives <= 1:
        return f"--hard-negatives must lie in [0, 1], not {a.hard_negatives}"
    if a.zoom_max < 1 or a.lens_max < 0 or not 0 <= a.rotate_deg <= 45:
        return "--zoom-max must be at least 1, --lens-max at least 0 and --rotate-deg within 0..45"
    if a.hard_mine_every < 0 or a.hard_mine_windows < 1 or not 0 < a.hard_threshold < 1:
        return (
            "--hard-mine-every must be 0 or more, --hard-mine-windows 1 or more, --hard-threshold in (0, 1)"
        )
    return None


def augment_config(a, crop_h, crop_w):
    probs = {
        field: (getattr(a, field) if getattr(a, field) is not None else (preset if a.camera_aug else 0.0))
        for field, preset, _t in PROBABILITIES.values()
    }
    return AugmentConfig(
        crop_h=crop_h,
        crop_w=crop_w,
        shuttle_crop_p=a.shuttle_crop_p,
        decoy_p=a.decoy_p,
        rotate_deg=a.rotate_deg,
        zoom_max=a.zoom_max,
        lens_max=a.lens_max,
        camera_share=a.camera_share,
        **probs,
    )


def mine_args(a):
    return dict(windows=a.hard_mine_windows, threshold=a.hard_threshold, min_distance=a.hard_distance)
