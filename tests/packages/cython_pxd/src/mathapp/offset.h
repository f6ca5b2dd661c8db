long mathapp_offset(long value);
