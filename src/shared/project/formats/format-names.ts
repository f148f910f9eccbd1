// Runs everywhere (shared): the names of the label file formats, on their own so the API contract can list
// them without pulling the readers and writers (and their CSV parser) into every bundle.

/**
 * - 'tracknet': `Frame,Visibility,X,Y` in video pixels, the standard (what the project's csv/ folder holds);
 * - 'normalised': `Frame,Ball,x,y`, 0..1 of the video's size;
 * - 'confidence': `Frame,Visibility,X,Y,Confidence`, the prediction variant;
 * - 'coco': COCO keypoints JSON; 'cvat': CVAT for video 1.1 XML (a points track).
 */
export const LABEL_FORMATS = ['tracknet', 'normalised', 'confidence', 'coco', 'cvat'] as const
export type LabelFileFormat = (typeof LABEL_FORMATS)[number]
