/* meeting_int — what meeting.c and meeting_pc.c share. Not for users of
 * the endpoint library. */
#ifndef CAU_MEETING_INT_H
#define CAU_MEETING_INT_H

#include "media/endpoint/meeting.h"
#include "media/endpoint/sig_client.h"

#define MEETING_PENDING_MAX 32

/* One of the two peer connections, named "publish" or "subscribe". */
struct meeting_pc {
    struct meeting *m;
    const char *name;
    struct pc *pc;
    bool have_remote;
    bool described;                     /* our offer or first answer went out */
    bool gathered_early;                /* gathering ended before that: send "" after it */
    char *pending[MEETING_PENDING_MAX]; /* the bridge's candidates before its description */
    size_t npending;
};

struct meeting {
    struct meeting_callbacks cb;
    struct pc_config pcfg;
    bool subscribe, name_check, hold_pub;
    char *token;
    struct sig_client *sig;
    bool joined, leaving;
    int status;
    json_t *self, *participants;
    struct meeting_pc pub, sub;
};

/* meeting.c */
void meeting_event(struct meeting *m, json_t *ev); /* takes the reference */
void meeting_error(struct meeting *m, const char *what, const char *detail);
void meeting_send(struct meeting *m, json_t *msg); /* takes the reference */
/* meeting_pc.c */
void meeting_pc_publish(struct meeting *m);
void meeting_pc_remote(struct meeting *m, struct meeting_pc *mp, const char *sdp);
void meeting_pc_candidate(struct meeting *m, const char *pc, const char *candidate);
int meeting_pc_add_candidate(struct meeting_pc *mp, const char *candidate);
void meeting_pc_free(struct meeting_pc *mp);

#endif
