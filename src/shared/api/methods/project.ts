// Runs everywhere (shared): the project and label methods and events of the API contract (the annotation
// studio). Merged into the one contract in ../contract.ts.
//
// A project is a folder laid out as a TrackNet dataset (<match>/video/<clip>.mp4, <match>/csv/<clip>_ball.csv)
// plus .studio/ for the studio's own state. One project is open per backend; every window or tab sees it.
// Labels change only through labels.edit (and labels.import with apply), and every change is in the on-disk
// journal before it is acknowledged.
import { z } from 'zod'
import { LabelEdit } from '../../project/schemas'
import { LABEL_FORMATS } from '../../project/formats/format-names'
import { VideoId, VideoInfo } from '../schemas'
import { method } from '../define'
import { cancelMethod, JobEventBase } from './jobs'
import { ExistingMatchName, FilePath, MatchName } from '../../project/names'

/** A clip's id: stable for the clip's life in the project, across match renames. */
export const ClipId = z.string().regex(/^c-[a-z0-9]{6,32}$/, 'a clip id looks like c-1a2b3c4d')

// Match names, file names and paths follow the one set of rules in ../../project/names.ts.
export { MatchName }

export const ClipSummary = z.object({
  clipId: ClipId,
  match: z.string(),
  /** The clip's name: its video's file name without extension (the CSV is <clip>_ball.csv). */
  clip: z.string(),
  /** 'copy': the video is in <match>/video; 'reference': <clip>.video.json points at it elsewhere. */
  videoKind: z.enum(['copy', 'reference', 'none']),
  /** Where the video is (the reference's target for 'reference'); null when there is none. */
  videoPath: z.string().nullable(),
  /** True when the video file is not where it should be. */
  videoMissing: z.boolean(),
  /** The video's frame count, once the clip has been opened (null before). */
  frames: z.number().int().nonnegative().nullable(),
  /** Frames with a label (visible or not visible): the rows of the CSV. */
  labelled: z.number().int().nonnegative(),
  /** Frames labelled visible. */
  visible: z.number().int().nonnegative(),
  /** Frames reviewed by a person (accepted, corrected or verified). */
  reviewed: z.number().int().nonnegative()
})

export const ProjectLibrary = z.object({
  dir: z.string(),
  name: z.string(),
  matches: z.array(z.object({ name: z.string(), clips: z.array(ClipSummary) })),
  /** Things found on disk that are not as expected, in words (a CSV without video, a missing video…). */
  problems: z.array(z.string())
})

/** The labels of a clip: one slot per frame in every column (see src/shared/project/wire.ts to decode). */
export const ColumnsWire = z.object({
  frameCount: z.number().int().nonnegative(),
  visibility: z.string(),
  x: z.string(),
  y: z.string(),
  source: z.string(),
  review: z.string(),
  confidence: z.string()
})

const LabelIssue = z.object({
  row: z.number().int(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  frame: z.number().int().optional()
})

const LabelFormat = z.enum(LABEL_FORMATS)
const Counts = z.object({
  frames: z.number().int().nonnegative(),
  labelled: z.number().int().nonnegative(),
  visible: z.number().int().nonnegative(),
  reviewed: z.number().int().nonnegative()
})

export const projectMethods = {
  /**
   * Makes `dir` a project (creating the folder if needed) and opens it. A folder that already holds a TrackNet
   * dataset is adopted as it is: its CSVs become the clips' labels (source 'imported'). Fails if it is already
   * a project (open it instead) or cannot be written.
   */
  'project.create': method(
    z.object({
      dir: FilePath('give a folder for the project'),
      name: z.string().max(200).optional()
    }),
    ProjectLibrary
  ),
  /** Opens a project (closing the one open before, after saving it) and returns its library. */
  'project.open': method(z.object({ dir: FilePath('give the project folder') }), ProjectLibrary),
  /** The library of the open project, counts up to date. */
  'project.library': method(z.object({}), ProjectLibrary),
  /** Saves every open clip, closes their videos, and closes the project. */
  'project.close': method(z.object({}), z.object({ closed: z.boolean() })),
  /**
   * Adds videos to a match (made if new): 'copy' copies each file into <match>/video; 'reference' writes a
   * small <clip>.video.json there pointing at the file where it is. A name already in the match gets -2, -3….
   */
  'project.addVideos': method(
    z.object({
      match: MatchName,
      paths: z.array(FilePath('give the path of a video')).min(1, 'give at least one video').max(1000),
      mode: z.enum(['copy', 'reference'])
    }),
    z.object({ added: z.array(ClipSummary), library: ProjectLibrary })
  ),
  /** Renames a match folder. Clip ids, open clips and their journals are unaffected. */
  'project.renameMatch': method(z.object({ from: ExistingMatchName, to: MatchName }), ProjectLibrary),
  /**
   * Removes a clip from the project by moving its video (or reference), its CSV and its state into
   * .studio/trash/<time>-<match>-<clip>/: nothing is deleted; move them back to restore.
   */
  'project.removeClip': method(
    z.object({ clipId: ClipId }),
    z.object({ trashedTo: z.string(), library: ProjectLibrary })
  ),
  /**
   * Opens a clip: its video through the video engine (use videoId with video.* and the frame route) and all
   * its labels, columnar. Replays journal entries newer than the last save (after a crash) and says so in
   * `recovered` and `warnings`.
   */
  'clip.open': method(
    z.object({ clipId: ClipId }),
    z.object({
      clipId: ClipId,
      videoId: VideoId,
      info: VideoInfo,
      labels: ColumnsWire,
      /** Sequence number of the last edit applied (0 for none yet). */
      seq: z.number().int().nonnegative(),
      /** Journal entries replayed on top of the saved labels (work recovered after a crash). */
      recovered: z.number().int().nonnegative(),
      /** Things the user should know: a torn journal line ignored, a CSV changed outside the studio, … */
      warnings: z.array(z.string())
    })
  ),
  /** Saves the clip's CSV and state now and closes its video. */
  'clip.close': method(z.object({ clipId: ClipId }), z.object({ closed: z.boolean() })),
  /**
   * Applies edits in order, as one undo step. Answers only once they are durably in the journal (written and
   * fsynced): then `seq` is theirs and they survive a crash. Compute the undo with invertEdit before sending.
   * The CSV and state are rewritten about a second later (event project.saved).
   */
  'labels.edit': method(
    z.object({ clipId: ClipId, edits: z.array(LabelEdit).min(1).max(10_000) }),
    z.object({ seq: z.number().int().positive(), counts: Counts })
  ),
  /**
   * Reads a label file into a clip's frames ('auto' tells TrackNet pixel / normalised / confidence CSV, COCO
   * JSON and CVAT XML apart) and lints it against the video (row count, duplicate or missing frames, visible
   * at 0,0, off the frame…). Only reports unless `apply`; with apply, the readable rows go in as ONE journaled
   * edit whose inverse is `undo` (send it with labels.edit to undo the import). Frames a person labelled are
   * kept unless keepHuman is false; with onlyUnlabelled only unknown frames are filled. A file with duplicate
   * frames or frames beyond the video is not applied. A prediction CSV (.studio/predictions/…) comes in as
   * source 'model' with its confidence.
   */
  'labels.import': method(
    z.object({
      clipId: ClipId,
      path: FilePath('give the label file'),
      format: z.union([LabelFormat, z.literal('auto')]).default('auto'),
      apply: z.boolean().default(false),
      /** Source of the imported frames; default 'model' for the confidence CSV, 'imported' otherwise. */
      source: z.enum(['imported', 'model', 'human']).optional(),
      keepHuman: z.boolean().default(true),
      /** Fill only frames nobody labelled yet (predictions over a partly labelled clip). */
      onlyUnlabelled: z.boolean().default(false),
      /** How the file numbers frames: as the studio does (presentation order), or as OpenCV's seek does. */
      frameNumbers: z.enum(['studio', 'opencv']).default('studio')
    }),
    z.object({
      format: LabelFormat.nullable(),
      issues: z.array(LabelIssue),
      errors: z.number().int().nonnegative(),
      warnings: z.number().int().nonnegative(),
      /** Rows (or annotations) read. */
      rows: z.number().int().nonnegative(),
      /** Frames the import changes (or would change). */
      frames: z.number().int().nonnegative(),
      /** Frames left alone because a person labelled them. */
      keptHuman: z.number().int().nonnegative(),
      /** Frames left alone because they were labelled already (onlyUnlabelled). */
      keptLabelled: z.number().int().nonnegative(),
      /** What the import does, in the words the library uses for CSVs found on disk ("160 frames set, …"). */
      summary: z.string(),
      applied: z.boolean(),
      /** Why it was not applied although asked, in words. */
      notApplied: z.string().nullable(),
      seq: z.number().int().positive().nullable(),
      /** The edits that undo the import (empty when not applied). */
      undo: z.array(LabelEdit),
      /** With frameNumbers 'opencv': labels moved to another frame, the largest move, labels dropped (past the
       *  last picture, or a picture another label already has); null otherwise. */
      renumbered: z
        .object({
          moved: z.number().int().nonnegative(),
          maxShift: z.number().int(),
          dropped: z.number().int().nonnegative()
        })
        .nullable(),
      /** With the studio's numbering on a video that drops frames: labels OpenCV numbering would move (and the
       *  largest move), and where the clip has the tracker's track, how many of the file's visible labels lie
       *  on it as numbered and as OpenCV numbers them. null where the two numberings agree. */
      numberingHint: z
        .object({
          moves: z.number().int().positive(),
          maxShift: z.number().int(),
          track: z
            .object({
              compared: z.number().int().nonnegative(),
              asNumbered: z.number().int().nonnegative(),
              opencv: z.number().int().nonnegative()
            })
            .nullable()
        })
        .nullable()
    })
  ),
  /** Writes a clip's labelled frames to a file in the given format (unlabelled frames are left out). */
  'labels.export': method(
    z.object({ clipId: ClipId, format: LabelFormat, path: FilePath('give the file to write') }),
    z.object({ path: z.string(), rows: z.number().int().nonnegative() })
  ),
  /**
   * Exports the project as a training set into `dir` (new or empty): <dir>/<train|val>/<match>/frame/<clip>/
   * <n>.jpg and <dir>/<train|val>/<match>/csv/<clip>_ball.csv, split by match (valMatches, or about
   * valFraction of the matches, picked by name). A job: its progress and its end come as dataset.progress.
   * Written into <dir>/.exporting and moved into place once whole, so the folder never holds half an export.
   */
  'dataset.export': method(
    z.object({
      dir: FilePath('give a folder to export into'),
      valMatches: z.array(ExistingMatchName).optional(),
      valFraction: z.number().min(0).max(1).default(0.2),
      /** Frames nobody labelled: left out of the CSV ('omit'), or written as not visible. */
      unlabelled: z.enum(['omit', 'not-visible']).default('omit'),
      /** Only clips where every labelled frame is reviewed. */
      reviewedOnly: z.boolean().default(false),
      jpegQuality: z.number().int().min(2).max(31).default(2)
    }),
    z.object({ jobId: z.string(), train: z.array(z.string()), val: z.array(z.string()) })
  ),
  /** Stops a dataset export; nothing of it is left in the folder (it is moved there only when whole). */
  'dataset.cancel': cancelMethod()
} as const

export const projectEvents = {
  /** A dataset export: frames written of all, the clip being written (running) or how it ended. */
  'dataset.progress': JobEventBase.extend({
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    message: z.string().optional()
  }),
  /** Edits were applied to a clip (by any window or tab): apply them too to stay in step. */
  'labels.changed': z.object({ clipId: ClipId, seq: z.number().int().positive(), edits: z.array(LabelEdit) }),
  /** A clip's CSV and state were written; edits up to `seq` are in the files, not only in the journal. */
  'project.saved': z.object({ clipId: ClipId, seq: z.number().int().nonnegative() }),
  /** Writing a clip's CSV failed; the edits are safe in the journal and the write is retried. */
  'project.saveProblem': z.object({ clipId: ClipId, message: z.string() })
} as const
