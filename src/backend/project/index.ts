// Runs in the backend (plain Node): projects on disk and the annotation studio's label methods, in one import.
export {
  ProjectService,
  type ProjectIndex,
  type ProjectServiceOptions,
  type VideoOpener
} from './project-service'
export { UploadRefused } from './video-upload'
export { ClipSession } from './clip-session'
export { ProjectLayout } from './layout'
