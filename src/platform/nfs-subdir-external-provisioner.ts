import type { ComponentSpec } from './types';

/**
 * NFS subdir external provisioner: a dynamic provisioner that creates one
 * directory per PersistentVolume on the environment's NFS export, and the
 * cluster's default StorageClass (`nfs.storageClass`), ReadWriteMany and
 * expandable. Deleting a claim deletes its directory (`reclaimPolicy: Delete`).
 */
export const nfsSubdirExternalProvisioner = {
  id: 'nfs-subdir-external-provisioner',
  description: 'NFS subdir external provisioner: the default ReadWriteMany StorageClass on the NAS.',
  repoUrl: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner',
  chart: 'nfs-subdir-external-provisioner',
  version: '4.0.18',
  namespace: 'kube-system',
  releaseName: 'nfs-subdir-external-provisioner',
  dependsOn: ['cilium'],
  values: (env) => ({
    nfs: {
      server: env.nfs.server,
      path: env.nfs.path,
      reclaimPolicy: 'Delete',
    },
    storageClass: {
      name: env.nfs.storageClass,
      defaultClass: true,
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      accessModes: 'ReadWriteMany',
    },
  }),
} satisfies ComponentSpec;
